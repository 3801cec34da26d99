/**
 * Label key and value syntax with the API machinery's messages. The cases are transcribed from
 * staging/src/k8s.io/apimachinery/pkg/api/validate/content/kube_test.go (TestIsLabelKey,
 * TestIsLabelValue); the message texts follow errors.go (RegexError's " or " makes the double
 * space kubectl users know).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isDNS1123Subdomain, isLabelKey, isLabelValue } from '../../engine/api/validation.js';

test('IsLabelKey: the success and error cases of kube_test.go', () => {
  const ok = [
    'simple',
    'now-with-dashes',
    '1-starts-with-num',
    '1234',
    'simple/simple',
    'now-with-dashes/simple',
    'now-with-dashes/now-with-dashes',
    'now.with.dots/simple',
    'now-with.dashes-and.dots/simple',
    '1-num.2-num/3-num',
    '1234/5678',
    '1.2.3.4/5678',
    'Uppercase_Is_OK_123',
    'example.com/Uppercase_Is_OK_123',
    'requests.storage-foo',
    'a'.repeat(63),
    `${'a'.repeat(253)}/${'b'.repeat(63)}`,
  ];
  for (const key of ok) assert.deepEqual(isLabelKey(key), [], key);
  const bad = [
    'nospecialchars%^=@',
    'cantendwithadash-',
    '-cantstartwithadash-',
    'only/one/slash',
    'Example.com/abc',
    'example_com/abc',
    'example.com/',
    '/simple',
    'a'.repeat(64),
    `${'a'.repeat(254)}/abc`,
  ];
  for (const key of bad) assert.notDeepEqual(isLabelKey(key), [], key);
});

test('IsLabelValue: the success and error cases of kube_test.go', () => {
  for (const v of ['simple', 'now-with-dashes', '1-starts-with-num', 'end-with-num-1', '1234', 'a'.repeat(63), '']) assert.deepEqual(isLabelValue(v), [], v);
  const bad = ['nospecialchars%^=@', 'Tama-nui-te-rā.is.Māori.sun', '\\backslashes\\are\\bad', '-starts-with-dash', 'ends-with-dash-', '.starts.with.dot', 'ends.with.dot.', 'a'.repeat(64)];
  for (const v of bad) assert.notDeepEqual(isLabelValue(v), [], v);
});

test('the messages, word for word', () => {
  assert.deepEqual(isLabelValue('%^$'), [
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
  ]);
  assert.deepEqual(isLabelValue('a'.repeat(64)), ['must be no more than 63 bytes']);
  assert.deepEqual(isLabelKey('/simple'), [
    'prefix part must be non-empty',
  ]);
  assert.deepEqual(isLabelKey('example.com/'), [
    'name part must be non-empty',
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
  ]);
  assert.deepEqual(isLabelKey('Example.com/abc'), [
    "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
  ]);
  assert.match(isLabelKey('only/one/slash')[0]!, /^a valid label key must consist of .* with an optional DNS subdomain prefix and '\/' \(e\.g\. 'example\.com\/MyName'\)$/);
  // Lengths are bytes, as Go counts them: 32 two-byte characters are 64 bytes.
  assert.ok(isLabelValue('ā'.repeat(32)).includes('must be no more than 63 bytes'));
});

test('a DNS-1123 subdomain of lower-case labels is a valid key prefix, whatever the name part', () => {
  const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,10}[a-z0-9])?$/);
  const name = fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,20}[A-Za-z0-9])?$/);
  fc.assert(
    fc.property(fc.array(label, { minLength: 1, maxLength: 4 }), name, (labels, n) => {
      const prefix = labels.join('.');
      assert.deepEqual(isDNS1123Subdomain(prefix), []);
      assert.deepEqual(isLabelKey(`${prefix}/${n}`), []);
      // Upper case in the prefix is refused (only the name part may have it).
      if (/[a-z]/.test(prefix)) assert.notDeepEqual(isLabelKey(`${prefix.toUpperCase()}/${n}`), []);
    }),
  );
});
