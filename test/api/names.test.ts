import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalJson, podTemplateHash, randomSuffix, safeEncodeString, uidFromCounter } from '../../engine/api/names.js';
import { createStream } from '../../engine/core/rng.js';

test('safeEncodeString maps bytes as apimachinery rand.SafeEncodeString does', () => {
  // alphanums = "bcdfghjklmnpqrstvwxz2456789" (27 chars); '0' is byte 48, 48 % 27 = 21 -> '4'.
  assert.equal(safeEncodeString('0123456789'), '456789bcdf');
  assert.equal(safeEncodeString('a'), 'v'); // 'a' is byte 97, 97 % 27 = 16 -> alphabet[16] = 'v'
});

test('pod-template-hash: digits encoded to the 10-letter set, stable under key order, changes with the template', () => {
  const a = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } };
  const b = { spec: { containers: [{ image: 'nginx:1.27', name: 'web' }] }, metadata: { labels: { app: 'web' } } };
  assert.equal(podTemplateHash(a), podTemplateHash(b));
  assert.match(podTemplateHash(a), /^[456789bcdf]{1,10}$/);
  const c = structuredClone(a);
  c.spec.containers[0]!.image = 'nginx:1.28';
  assert.notEqual(podTemplateHash(a), podTemplateHash(c));
  assert.notEqual(podTemplateHash(a), podTemplateHash(a, 1), 'collisionCount changes the hash');
});

test('canonicalJson sorts keys at every depth and drops undefined', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } }), '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
});

test('random suffixes are 5 characters of the utilrand alphabet', () => {
  const rng = createStream(1, 'test');
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 12 }), (n) => {
      assert.match(randomSuffix(rng, n), new RegExp(`^[bcdfghjklmnpqrstvwxz2456789]{${n}}$`));
    }),
  );
});

test('uids are RFC 4122 shaped and distinct', () => {
  assert.match(uidFromCounter(1), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(uidFromCounter(1), uidFromCounter(2));
});
