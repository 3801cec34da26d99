/**
 * Ingress rule matching (engine/network/ingress-rules.ts). The path cases are the "Examples"
 * table of https://kubernetes.io/docs/concepts/services-networking/ingress/#examples
 * (kubernetes/website, content/en/docs/concepts/services-networking/ingress.md), one row each
 * (rows with two request paths split in two); checked row by row against that file's v1 text.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { runScenario } from '../../engine/run.js';
import { loadScenarioFile } from '../../engine/scenario/loader.js';
import { isUserError } from '../../engine/scenario/errors.js';
import { MemoryObserver } from '../helpers/memory-observer.js';
import { repoPath } from '../helpers/paths.js';
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

// ---- through the controller pods, in a run (scenarios/ingress.yaml) ------------------------------

const NO_SCALE = ['spec.timeline=[]'];

function runIngress(overrides: string[]) {
  const { scenario } = loadScenarioFile(repoPath('scenarios/ingress.yaml'), { overrides });
  const obs = new MemoryObserver();
  runScenario(scenario, obs);
  const total = (kind: string, name: string, metric: string) => obs.totals.filter((t) => t.kind === kind && t.name.startsWith(name) && t.metric === metric).reduce((s, t) => s + t.value, 0);
  return { obs, service: (name: string, metric: string) => total('Service', name, metric), pods: (prefix: string, metric: string) => total('Pod', prefix, metric) };
}

test('ingress run: requests for shop.example.com/cart reach Service shop, /api/orders Service api; an unknown host gets no_route', () => {
  const { service, pods } = runIngress([...NO_SCALE, 'spec.manifests[1].spec.replicas=3']);
  // Poisson 200/s and 100/s for 220 s.
  assert.ok(Math.abs(service('shop', 'requests') - 44000) < 1000, `shop ${service('shop', 'requests')}`);
  assert.ok(Math.abs(service('api', 'requests') - 22000) < 700, `api ${service('api', 'requests')}`);
  for (const s of ['shop', 'api']) assert.equal(service(s, 'requests_failed'), 0, `${s}: none failed with 3 controller replicas`);
  assert.ok(pods('shop-', 'requests_served') === service('shop', 'requests_served') && pods('api-', 'requests_served') === service('api', 'requests_served'));
  // The stray load: counted on the controller's Service, all 404.
  const stray = service('ingress-nginx-controller', 'requests');
  assert.ok(stray > 900);
  assert.equal(service('ingress-nginx-controller', 'requests_failed_no_route'), stray);
});

test('ingress run: one small controller pod is the bottleneck (queue_full at the controller, backends idle); 3 replicas fix it', () => {
  const one = runIngress(NO_SCALE);
  const queueFull = one.service('shop', 'requests_failed_queue_full') + one.service('api', 'requests_failed_queue_full');
  assert.ok(queueFull > 0.2 * (one.service('shop', 'requests') + one.service('api', 'requests')), `queue_full ${queueFull}`);
  assert.ok(one.pods('ingress-nginx-controller-', 'requests_failed') >= queueFull, 'failed at the controller pod');
  assert.equal(one.pods('shop-', 'requests_failed') + one.pods('api-', 'requests_failed'), 0, 'backends never refuse');
  const three = runIngress([...NO_SCALE, 'spec.manifests[1].spec.replicas=3']);
  assert.equal(three.service('shop', 'requests_failed') + three.service('api', 'requests_failed'), 0);
  // The scenario as written scales out at 2m: failures before, none in its last minute.
  const scaled = runIngress([]);
  const late = scaled.obs.samples.filter((s) => s.kind === 'Service' && s.name === 'shop' && s.metric === 'requests_failed_queue_full' && s.time > 180).reduce((a, s) => a + s.value, 0);
  assert.ok(scaled.service('shop', 'requests_failed_queue_full') > 0);
  assert.equal(late, 0);
});

test('ingress manifests: a path without a leading slash and a missing pathType are path-addressed user errors', () => {
  const bad = (overrides: string[], message: RegExp) => {
    try {
      loadScenarioFile(repoPath('scenarios/ingress.yaml'), { overrides });
    } catch (e) {
      assert.ok(isUserError(e), String(e));
      assert.match((e as Error).message, message);
      return;
    }
    assert.fail('expected a user error');
  };
  bad(['spec.manifests[7].spec.rules[0].http.paths[1].path=api'], /ingress\.yaml: spec\.manifests\[7\]\.spec\.rules\[0\]\.http\.paths\[1\]\.path: expected an absolute path starting with '\/', found string "api"/);
  bad(['spec.manifests[7].spec.rules[0].http.paths[0].pathType=Regex'], /spec\.manifests\[7\]\.spec\.rules\[0\]\.http\.paths\[0\]\.pathType: expected one of/);
  bad(['spec.manifests[7].spec.rules[0].http.paths[0].backend.service.port.name=http'], /paths\[0\]\.backend\.service\.port: expected exactly one of port\.number and port\.name, found both/);
  bad(['spec.manifests[7].spec.rules[0].host=Shop_Example'], /spec\.manifests\[7\]\.spec\.rules\[0\]\.host: expected a DNS name/);
});
