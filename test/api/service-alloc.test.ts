/**
 * Cluster IPs through the API server, create to delete. Cases follow kubernetes/kubernetes
 * pkg/registry/core/service/storage/storage_test.go (TestCreateInitIPFields,
 * TestCreateDeleteReuse, TestUpdatePatchAllocatedValues, TestUpdateIPsFromExternalName /
 * ToExternalName) and alloc.go's messages, for a single-stack IPv4 cluster.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { ApiServer, type WriteResult } from '../../engine/api/store.js';
import type { Service } from '../../engine/api/types.js';
import { Simulation } from '../../engine/core/simulation.js';
import { ipToInt } from '../../engine/network/ipv4.js';
import { runTestScenario } from '../helpers/scenario.js';

function api(serviceCIDR?: string, seed = 1): { sim: Simulation; api: ApiServer } {
  const sim = new Simulation(seed);
  return { sim, api: new ApiServer(sim, { writeLatency: 0.01, watchDelay: 0.005, ...(serviceCIDR && { serviceCIDR }) }) };
}

function svc(name: string, spec: Partial<Service['spec']> = {}): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec } };
}

/** Creates and commits; the write result and message. */
function create(s: { sim: Simulation; api: ApiServer }, service: Service): { result: WriteResult; message?: string } {
  let out: { result: WriteResult; message?: string } | undefined;
  s.api.create(service, (result, _o, message) => (out = { result, ...(message !== undefined && { message }) }));
  s.sim.run();
  return out!;
}

test('a ClusterIP Service gets an address of the upper band, clusterIPs, SingleStack IPv4 and the core/v1 defaults', () => {
  const s = api();
  assert.deepEqual(create(s, svc('web')), { result: 'ok' });
  const spec = s.api.get('Service', 'default', 'web')!.spec;
  const ip = ipToInt(spec.clusterIP!);
  assert.ok(ip >= ipToInt('10.96.1.1') && ip <= ipToInt('10.111.255.254'), spec.clusterIP);
  assert.deepEqual(spec.clusterIPs, [spec.clusterIP]);
  assert.deepEqual(spec.ipFamilies, ['IPv4']);
  assert.equal(spec.ipFamilyPolicy, 'SingleStack');
  assert.equal(spec.sessionAffinity, 'None');
  assert.equal(spec.internalTrafficPolicy, 'Cluster');
  assert.equal(spec.externalTrafficPolicy, undefined, 'only externally accessible Services have one');
  assert.deepEqual(spec.ports, [{ port: 80, protocol: 'TCP', targetPort: 80 }]);
  assert.deepEqual(s.api.get('Service', 'default', 'web')!.status, { loadBalancer: {} });
});

test('the same seed allocates the same addresses; the service CIDR is the scenario setting', () => {
  const ips = (seed: number, cidr?: string) => {
    const s = api(cidr, seed);
    for (const n of ['a', 'b', 'c']) create(s, svc(n));
    return ['a', 'b', 'c'].map((n) => s.api.get('Service', 'default', n)!.spec.clusterIP!);
  };
  assert.deepEqual(ips(3), ips(3));
  const small = ips(3, '172.20.0.0/24');
  // A /24: offset max(16, 256/16) = 16, so the upper band is 172.20.0.17-172.20.0.254.
  for (const ip of small) assert.ok(ipToInt(ip) >= ipToInt('172.20.0.17') && ipToInt(ip) <= ipToInt('172.20.0.254'), ip);
});

test('an explicit clusterIP (or clusterIPs[0]) is honoured, also in the lower band', () => {
  const s = api();
  create(s, svc('dns', { clusterIP: '10.96.0.10' }));
  assert.deepEqual(s.api.get('Service', 'default', 'dns')!.spec.clusterIPs, ['10.96.0.10']);
  create(s, svc('both', { clusterIP: '10.100.0.5', clusterIPs: ['10.100.0.5'] }));
  assert.equal(s.api.get('Service', 'default', 'both')!.spec.clusterIP, '10.100.0.5');
});

test('out of range and already allocated are refused with the apiserver message; nothing is stored', () => {
  const s = api();
  create(s, svc('dns', { clusterIP: '10.96.0.10' }));
  assert.deepEqual(create(s, svc('far', { clusterIP: '10.0.0.5' })), {
    result: 'Invalid',
    message:
      'Service "far" is invalid: spec.clusterIPs: Invalid value: []string{"10.0.0.5"}: failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
  });
  assert.deepEqual(create(s, svc('again', { clusterIP: '10.96.0.10' })), {
    result: 'Invalid',
    message: 'Service "again" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated',
  });
  // The broadcast address of the range is not a usable address.
  assert.equal(create(s, svc('bcast', { clusterIP: '10.111.255.255' })).result, 'Invalid');
  assert.equal(s.api.get('Service', 'default', 'far'), undefined);
  assert.equal(s.api.get('Service', 'default', 'again'), undefined);
});

test('headless stays None (SingleStack with a selector, RequireDualStack both families without); ExternalName gets nothing', () => {
  const s = api();
  create(s, svc('db', { clusterIP: 'None' }));
  const db = s.api.get('Service', 'default', 'db')!.spec;
  assert.equal(db.clusterIP, 'None');
  assert.deepEqual(db.clusterIPs, ['None']);
  assert.deepEqual([db.ipFamilyPolicy, db.ipFamilies], ['SingleStack', ['IPv4']]);
  const bare = svc('bare', { clusterIP: 'None' });
  delete bare.spec.selector;
  create(s, bare);
  const b = s.api.get('Service', 'default', 'bare')!.spec;
  // initIPFamilyFields: "headless + selectorless defaults to dual", even on a single-stack cluster.
  assert.deepEqual([b.ipFamilyPolicy, b.ipFamilies], ['RequireDualStack', ['IPv4', 'IPv6']]);
  create(s, svc('ext', { type: 'ExternalName', externalName: 'db.example.com' }));
  const ext = s.api.get('Service', 'default', 'ext')!.spec;
  assert.deepEqual([ext.clusterIP, ext.clusterIPs, ext.ipFamilies, ext.ipFamilyPolicy], [undefined, undefined, undefined, undefined]);
  assert.equal(s.api.serviceAllocators.range.used, 0, 'neither took an address');
});

test('deletion releases the address; a failed create (AlreadyExists) gives its address back', () => {
  const s = api();
  create(s, svc('web', { clusterIP: '10.96.0.20' }));
  assert.equal(create(s, svc('web')).result, 'AlreadyExists');
  assert.equal(s.api.serviceAllocators.range.used, 1);
  s.api.delete('Service', 'default', 'web');
  s.sim.run();
  assert.equal(s.api.serviceAllocators.range.used, 0);
  assert.equal(create(s, svc('other', { clusterIP: '10.96.0.20' })).result, 'ok');
});

test('updates: leaving the addresses out keeps them, changing one is refused, ExternalName releases and back allocates', () => {
  const s = api();
  create(s, svc('web'));
  const ip = s.api.get('Service', 'default', 'web')!.spec.clusterIP!;
  const results: [WriteResult, string?][] = [];
  const update = (spec: Partial<Service['spec']>) => {
    s.api.update('Service', 'default', 'web', (o) => {
      o.spec = { selector: { app: 'web' }, ports: [{ port: 80 }], ...spec };
    }, (r, m) => results.push(m === undefined ? [r] : [r, m]));
    s.sim.run();
  };
  update({});
  assert.equal(s.api.get('Service', 'default', 'web')!.spec.clusterIP, ip, 'patchAllocatedValues');
  update({ clusterIP: '10.96.0.99' });
  assert.deepEqual(results[1], ['Invalid', 'Service "web" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.0.99"}: may not change once set']);
  assert.equal(s.api.get('Service', 'default', 'web')!.spec.clusterIP, ip, 'a refused update leaves the object as it was');
  update({ type: 'ExternalName', externalName: 'x.example.com' });
  const ext = s.api.get('Service', 'default', 'web')!.spec;
  assert.deepEqual([ext.clusterIP, ext.clusterIPs], [undefined, undefined]);
  assert.equal(s.api.serviceAllocators.range.has(ip), false, 'released');
  update({ type: 'ClusterIP', clusterIP: ip });
  assert.equal(s.api.get('Service', 'default', 'web')!.spec.clusterIP, ip, 'allocated again, as asked');
  assert.deepEqual(results.map((r) => r[0]), ['ok', 'Invalid', 'ok', 'ok']);
});

test('the dry runs kubectl uses answer as the write would, and reserve nothing', () => {
  const s = api();
  create(s, svc('dns', { clusterIP: '10.96.0.10' }));
  assert.equal(s.api.dryRunServiceCreate(svc('x', { clusterIP: '10.96.0.10' }))?.reason, 'Invalid');
  assert.equal(s.api.dryRunServiceCreate(svc('y')), undefined);
  assert.equal(s.api.serviceAllocators.range.used, 1);
  const current = s.api.get('Service', 'default', 'dns')!;
  const { stored, refused } = s.api.dryRunServiceUpdate(current, svc('dns'));
  assert.equal(refused, undefined);
  assert.equal(stored.spec.clusterIP, '10.96.0.10');
  assert.deepEqual(stored.spec.clusterIPs, ['10.96.0.10']);
});

test('a manifest whose explicit address a dynamic allocation took first is refused at run time with a FailedCreate event', () => {
  // A /30 has two addresses: 10.96.0.1 for default/kubernetes, 10.96.0.2 for whichever Service asks first.
  const { run, obs } = runTestScenario(
    {
      duration: '30s',
      rate: 1,
      extraManifests: '    - { apiVersion: v1, kind: Service, metadata: { name: late }, spec: { clusterIP: 10.96.0.2, selector: { app: web }, ports: [{ port: 81 }] } }\n',
    },
    ['spec.cluster.serviceCIDR=10.96.0.0/30'],
  );
  assert.equal(run.apiServer.get('Service', 'default', 'web')!.spec.clusterIP, '10.96.0.2');
  assert.equal(run.apiServer.get('Service', 'default', 'late'), undefined);
  assert.deepEqual(obs.eventsWith('FailedCreate').map((e) => [e.type, e.name, e.message]), [
    ['Warning', 'late', 'Service "late" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.2"}: failed to allocate IP 10.96.0.2: provided IP is already allocated'],
  ]);
});
