/**
 * Ingress rule matching (engine/network/ingress-rules.ts). The path cases are the "Examples"
 * table of https://kubernetes.io/docs/concepts/services-networking/ingress/#examples
 * (kubernetes/website, content/en/docs/concepts/services-networking/ingress.md), one row each.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { hostMatches, routeRequest, type IngressHostRule, type PathType } from '../../engine/network/ingress-rules.js';

type Row = [kind: string, paths: [PathType, string][], request: string, matches: string | undefined];

/** [kind, the Ingress's paths, request path, the path that should win (undefined: default backend)]. */
const docsTable: Row[] = [
  ['Prefix', [['Prefix', '/']], '/anything/at/all', '/'],
  ['Exact', [['Exact', '/foo']], '/foo', 'Exact /foo'],
  ['Exact', [['Exact', '/foo']], '/bar', undefined],
  ['Exact', [['Exact', '/foo']], '/foo/', undefined],
  ['Exact', [['Exact', '/foo/']], '/foo', undefined],
  ['Prefix', [['Prefix', '/foo']], '/foo', '/foo'],
  ['Prefix', [['Prefix', '/foo']], '/foo/', '/foo'],
  ['Prefix', [['Prefix', '/foo/']], '/foo', '/foo/'],
  ['Prefix', [['Prefix', '/foo/']], '/foo/', '/foo/'],
  ['Prefix', [['Prefix', '/aaa/bb']], '/aaa/bbb', undefined],
  ['Prefix', [['Prefix', '/aaa/bbb']], '/aaa/bbb', '/aaa/bbb'],
  ['Prefix', [['Prefix', '/aaa/bbb/']], '/aaa/bbb', '/aaa/bbb/'], // ignores trailing slash
  ['Prefix', [['Prefix', '/aaa/bbb']], '/aaa/bbb/', '/aaa/bbb'], // matches trailing slash
  ['Prefix', [['Prefix', '/aaa/bbb']], '/aaa/bbb/ccc', '/aaa/bbb'], // matches subpath
  ['Prefix', [['Prefix', '/aaa/bbb']], '/aaa/bbbxyz', undefined], // not a string prefix match
  ['Prefix', [['Prefix', '/'], ['Prefix', '/aaa']], '/aaa/ccc', '/aaa'],
  ['Prefix', [['Prefix', '/'], ['Prefix', '/aaa'], ['Prefix', '/aaa/bbb']], '/aaa/bbb', '/aaa/bbb'],
  ['Prefix', [['Prefix', '/'], ['Prefix', '/aaa'], ['Prefix', '/aaa/bbb']], '/ccc', '/'],
  ['Prefix', [['Prefix', '/aaa']], '/ccc', undefined], // uses default backend
  ['Mixed', [['Prefix', '/foo'], ['Exact', '/foo']], '/foo', 'Exact /foo'], // prefers Exact
];

function rulesOf(paths: [PathType, string][], host?: string): IngressHostRule[] {
  return [{ ...(host !== undefined && { host }), paths: paths.map(([pathType, path]) => ({ pathType, path, backend: { namespace: 'default', service: `${pathType === 'Exact' ? 'Exact ' : ''}${path}`, port: 80 } })) }];
}

for (const [kind, paths, request, winner] of docsTable) {
  test(`ingress path ${kind} ${paths.map(([t, p]) => `${t}:${p}`).join(', ')} on ${request} → ${winner ?? 'default backend'}`, () => {
    assert.equal(routeRequest(rulesOf(paths), 'foo.bar.com', request)?.service, winner);
  });
}

test('ImplementationSpecific is matched as Prefix (as ingress-nginx does without use-regex)', () => {
  assert.equal(routeRequest(rulesOf([['ImplementationSpecific', '/aaa/bbb']]), 'h', '/aaa/bbb/ccc')?.service, '/aaa/bbb');
  assert.equal(routeRequest(rulesOf([['ImplementationSpecific', '/aaa/bbb']]), 'h', '/aaa/bbbxyz'), undefined);
});

test('ingress host: exact, one-label wildcard, and any host; exact host wins over wildcard over none', () => {
  assert.ok(hostMatches('foo.bar.com', 'foo.bar.com'));
  assert.ok(!hostMatches('foo.bar.com', 'bar.foo.com'));
  // The docs' wildcard examples: *.foo.com matches bar.foo.com, not baz.bar.foo.com nor foo.com.
  assert.ok(hostMatches('*.foo.com', 'bar.foo.com'));
  assert.ok(!hostMatches('*.foo.com', 'baz.bar.foo.com'));
  assert.ok(!hostMatches('*.foo.com', 'foo.com'));
  assert.ok(hostMatches(undefined, 'anything.example'));
  const rules = [...rulesOf([['Prefix', '/']]), ...rulesOf([['Prefix', '/']], '*.foo.com'), ...rulesOf([['Prefix', '/']], 'bar.foo.com')];
  rules[0]!.paths[0]!.backend.service = 'any';
  rules[1]!.paths[0]!.backend.service = 'wildcard';
  rules[2]!.paths[0]!.backend.service = 'exact';
  assert.equal(routeRequest(rules, 'bar.foo.com', '/x')?.service, 'exact');
  assert.equal(routeRequest(rules, 'baz.foo.com', '/x')?.service, 'wildcard');
  assert.equal(routeRequest(rules, 'other.org', '/x')?.service, 'any');
  assert.equal(routeRequest(rules.slice(1), 'other.org', '/x'), undefined);
});
