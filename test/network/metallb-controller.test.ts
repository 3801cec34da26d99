/**
 * MetalLB's controller as Services come and go (metallb controller/service.go convergeBalancer,
 * controller/main.go SetBalancer, internal/allocator/allocator.go): a Service created from the
 * timeline gets the next free address, a deleted one frees its address for the next, requests
 * outside every pool fail with upstream's AllocationFailed message, a pool with autoAssign false
 * is used only when asked for, a type change releases the address, and a Service waiting on an
 * exhausted pool gets the address its holder frees. Expected addresses and times are computed
 * by hand: the pool `lab` is 192.168.1.240-250, a write commits 10 ms after it is made and a
 * watcher sees it 5 ms later, so a Service created at T gets IPAllocated at T + 15 ms.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import type { Service } from '../../engine/api/types.js';
import type { ScenarioRun } from '../../engine/run.js';
import type { MemoryObserver } from '../helpers/memory-observer.js';
import { runTestScenario } from '../helpers/scenario.js';
import { ipAddressPool, loadBalancerService, metallbManifests, metallbWithPools } from '../helpers/metallb.js';

const METALLB = metallbManifests('L2');
/** The test scenario's `web` Service as a LoadBalancer that a load reaches through MetalLB. */
const LB = ['spec.manifests[1].spec.type=LoadBalancer', 'spec.load[0].target.via=LoadBalancer', 'spec.load[0].target.loadBalancer=metallb'];
const POOL_ANNOTATION = 'metallb.io/ip-allocated-from-pool';

/** EXTERNAL-IP of every row of a `kubectl get svc` table. */
function externalIPs(table: string): Map<string, string> {
  const [header, ...rows] = table.trim().split('\n') as [string, ...string[]];
  const start = header.indexOf('EXTERNAL-IP');
  const end = header.indexOf('PORT(S)');
  return new Map(rows.map((r) => [r.split(/\s+/)[0]!, r.slice(start, end).trim()]));
}

function events(obs: MemoryObserver, ...reasons: string[]): [number, string, string, string][] {
  return obs.events.filter((e) => reasons.includes(e.reason)).map((e) => [Math.round(e.time * 1000) / 1000, e.name, e.reason, e.message]);
}

function service(run: ScenarioRun, name: string): Service {
  return run.apiServer.get('Service', 'default', name)!;
}

const allocated = (ip: string) => `Assigned IP ["${ip}"]`;

test('a LoadBalancer Service created from the timeline gets the next free address; EXTERNAL-IP and the pool annotation show it', () => {
  const { obs } = runTestScenario(
    {
      duration: '40s',
      rate: 5,
      extraManifests: METALLB,
      timeline: [
        { at: '30s', run: 'kubectl expose deployment web --type=LoadBalancer --name=web2 --port=8080' },
        { at: '31s', run: 'kubectl get svc' },
        { at: '31s', run: 'kubectl get svc web2 -o yaml' },
      ],
    },
    LB,
  );
  const ips = externalIPs(obs.snapshots[0]!.text);
  assert.equal(ips.get('web'), '192.168.1.240');
  assert.equal(ips.get('web2'), '192.168.1.241');
  assert.deepEqual(events(obs, 'IPAllocated'), [
    [0.015, 'web', 'IPAllocated', allocated('192.168.1.240')],
    [30.015, 'web2', 'IPAllocated', allocated('192.168.1.241')],
  ]);
  const yaml = parse(obs.snapshots[1]!.text);
  assert.deepEqual(yaml.metadata.annotations, { [POOL_ANNOTATION]: 'lab' });
  assert.deepEqual(yaml.status, { loadBalancer: { ingress: [{ ip: '192.168.1.241', ipMode: 'VIP' }] } });
  assert.equal(obs.events.filter((e) => e.type === 'Warning').length, 0);
});

test('deleting a LoadBalancer Service frees its address: the next Service gets the lowest free one', () => {
  const { obs } = runTestScenario(
    {
      duration: '40s',
      rate: 5,
      extraManifests: METALLB,
      timeline: [
        { at: '10s', run: 'kubectl expose deployment web --type=LoadBalancer --name=web2 --port=8080' },
        { at: '11s', run: 'kubectl expose deployment web --type=LoadBalancer --name=web3 --port=8081' },
        { at: '20s', run: 'kubectl delete svc web2' },
        { at: '30s', run: 'kubectl expose deployment web --type=LoadBalancer --name=web4 --port=8082' },
        { at: '31s', run: 'kubectl expose deployment web --type=LoadBalancer --name=web5 --port=8083' },
        { at: '32s', run: 'kubectl get svc' },
      ],
    },
    LB,
  );
  assert.deepEqual(
    events(obs, 'IPAllocated').map(([t, name, , message]) => [t, name, message]),
    [
      [0.015, 'web', allocated('192.168.1.240')],
      [10.015, 'web2', allocated('192.168.1.241')],
      [11.015, 'web3', allocated('192.168.1.242')],
      [30.015, 'web4', allocated('192.168.1.241')],
      [31.015, 'web5', allocated('192.168.1.243')],
    ],
  );
  const ips = externalIPs(obs.snapshots[0]!.text);
  assert.deepEqual([...ips].filter(([name]) => name.startsWith('web')), [
    ['web', '192.168.1.240'],
    ['web3', '192.168.1.242'],
    ['web4', '192.168.1.241'],
    ['web5', '192.168.1.243'],
  ]);
});

test("requests MetalLB cannot meet: AllocationFailed with the allocator's message, the Service stays <pending>", () => {
  const requests =
    loadBalancerService('outside', { 'metallb.io/loadBalancerIPs': '10.0.0.5' }) +
    loadBalancerService('outside-spec', {}, 'loadBalancerIP: 10.0.0.6') +
    loadBalancerService('taken', { 'metallb.io/loadBalancerIPs': '192.168.1.240' }) +
    loadBalancerService('no-such-pool', { 'metallb.io/address-pool': 'nope' }) +
    loadBalancerService('two', { 'metallb.io/loadBalancerIPs': '192.168.1.245,192.168.1.246' }) +
    loadBalancerService('both', { 'metallb.io/loadBalancerIPs': '192.168.1.247' }, 'loadBalancerIP: 192.168.1.248') +
    loadBalancerService('wanted', { 'metallb.io/loadBalancerIPs': '192.168.1.249' });
  const { run, obs } = runTestScenario(
    { duration: '20s', loadStart: '5s', rate: 5, extraManifests: METALLB + requests, timeline: [{ at: '10s', run: 'kubectl get svc' }] },
    LB,
  );
  const failed = (name: string, error: string): [number, string, string, string] => [0.015, name, 'AllocationFailed', `Failed to allocate IP for "default/${name}": ${error}`];
  assert.deepEqual(events(obs, 'AllocationFailed', 'IPAllocated'), [
    [0.015, 'web', 'IPAllocated', allocated('192.168.1.240')],
    failed('outside', '["10.0.0.5"] is not allowed in config'),
    failed('outside-spec', '["10.0.0.6"] is not allowed in config'),
    failed('taken', `can't change sharing key for "default/taken", address also in use by default/web`),
    failed('no-such-pool', 'unknown pool "nope"'),
    failed('two', 'IPFamilyForAddresses: same address family ["192.168.1.245" "192.168.1.246"]'),
    failed('both', 'service can not have both metallb.io/loadBalancerIPs and svc.Spec.LoadBalancerIP'),
    [0.015, 'wanted', 'IPAllocated', allocated('192.168.1.249')],
  ]);
  assert.ok(obs.events.filter((e) => e.reason === 'AllocationFailed').every((e) => e.type === 'Warning'));
  const ips = externalIPs(obs.snapshots[0]!.text);
  for (const name of ['outside', 'outside-spec', 'taken', 'no-such-pool', 'two', 'both']) {
    assert.equal(ips.get(name), '<pending>', name);
    assert.equal(service(run, name).metadata.annotations?.[POOL_ANNOTATION], undefined, name);
  }
  assert.equal(ips.get('wanted'), '192.168.1.249');
});

test('an invalid request on a Service that has an address: LoadBalancerFailed, and it keeps its address', () => {
  const { run, obs } = runTestScenario(
    {
      duration: '20s',
      loadStart: '5s',
      rate: 5,
      extraManifests: METALLB,
      timeline: [{ at: '10s', run: "kubectl patch svc web -p '{metadata: {annotations: {metallb.io/loadBalancerIPs: bogus}}}'" }],
    },
    LB,
  );
  assert.deepEqual(events(obs, 'LoadBalancerFailed', 'AllocationFailed'), [
    [10.015, 'web', 'LoadBalancerFailed', 'invalid requested loadbalancer IPs: invalid metallb.io/loadBalancerIPs: "bogus"'],
  ]);
  assert.equal(obs.eventsWith('LoadBalancerFailed')[0]!.type, 'Warning');
  assert.deepEqual(service(run, 'web').status?.loadBalancer?.ingress?.map((i) => i.ip), ['192.168.1.240']);
  assert.equal(obs.summaryValues.get('requests_failed'), 0);
});

test('a pool with autoAssign false gives addresses only to Services that ask for it, by pool or by address', () => {
  const pools = ipAddressPool('a-reserved', 'addresses: [10.10.0.1-10.10.0.2], autoAssign: false') + ipAddressPool('lab', 'addresses: [192.168.1.240-192.168.1.250]');
  const services =
    loadBalancerService('pinned', { 'metallb.io/address-pool': 'a-reserved' }) +
    loadBalancerService('by-address', { 'metallb.io/loadBalancerIPs': '10.10.0.2' }) +
    loadBalancerService('auto');
  const { run, obs } = runTestScenario({ duration: '10s', loadStart: '5s', rate: 5, extraManifests: metallbWithPools(pools) + services }, LB);
  // a-reserved sorts first, but Allocate skips it: web and auto get lab's addresses.
  assert.deepEqual(
    events(obs, 'IPAllocated').map(([, name, , message]) => [name, message]),
    [
      ['web', allocated('192.168.1.240')],
      ['pinned', allocated('10.10.0.1')],
      ['by-address', allocated('10.10.0.2')],
      ['auto', allocated('192.168.1.241')],
    ],
  );
  assert.equal(service(run, 'pinned').metadata.annotations?.[POOL_ANNOTATION], 'a-reserved');
  assert.equal(service(run, 'by-address').metadata.annotations?.[POOL_ANNOTATION], 'a-reserved');
  assert.equal(service(run, 'auto').metadata.annotations?.[POOL_ANNOTATION], 'lab');

  // Only a pool that does not auto-assign: nothing for a Service that asks for nothing.
  const only = runTestScenario({ duration: '10s', loadStart: '5s', rate: 5, extraManifests: metallbWithPools(ipAddressPool('a-reserved', 'addresses: [10.10.0.1/32], autoAssign: false')) }, LB);
  assert.deepEqual(events(only.obs, 'AllocationFailed', 'IPAllocated'), [[0.015, 'web', 'AllocationFailed', 'Failed to allocate IP for "default/web": no available IPs']]);
});

test('a type change to ClusterIP clears the status and the pool annotation, and frees the address', () => {
  const { run, obs } = runTestScenario(
    {
      duration: '30s',
      rate: 5,
      extraManifests: METALLB,
      timeline: [
        { at: '10s', run: "kubectl patch svc web -p '{spec: {type: ClusterIP, ports: [{port: 80}]}}'" },
        { at: '11s', run: 'kubectl get svc web' },
        { at: '11s', run: 'kubectl get svc web -o yaml' },
        { at: '20s', run: 'kubectl expose deployment web --type=LoadBalancer --name=web2 --port=8080' },
        { at: '25s', run: "kubectl patch svc web -p '{spec: {type: LoadBalancer}}'" },
        { at: '26s', run: 'kubectl get svc web' },
      ],
    },
    LB,
  );
  assert.equal(externalIPs(obs.snapshots[0]!.text).get('web'), '<none>');
  const cleared = parse(obs.snapshots[1]!.text);
  assert.deepEqual(cleared.status, { loadBalancer: {} });
  assert.equal(cleared.metadata.annotations?.[POOL_ANNOTATION], undefined);
  // A LoadBalancer again: an address like any new one, the next free.
  assert.equal(externalIPs(obs.snapshots[2]!.text).get('web'), '192.168.1.241');
  assert.deepEqual(events(obs, 'IPAllocated').map(([t, name, , message]) => [t, name, message]), [
    [0.015, 'web', allocated('192.168.1.240')],
    [20.015, 'web2', allocated('192.168.1.240')],
    [25.015, 'web', allocated('192.168.1.241')],
  ]);
  assert.equal(service(run, 'web').metadata.annotations?.[POOL_ANNOTATION], 'lab');
});

test('an exhausted one-address pool: the second Service stays <pending> until the first is deleted, then it gets the address', () => {
  const { run, obs } = runTestScenario(
    {
      duration: '40s',
      rate: 5,
      extraManifests: metallbWithPools(ipAddressPool('one', 'addresses: [192.168.1.240/32]')),
      timeline: [
        { at: '10s', run: 'kubectl expose deployment web --type=LoadBalancer --name=web2 --port=8080' },
        { at: '12s', run: 'kubectl expose deployment web --type=LoadBalancer --name=web3 --port=8081' },
        { at: '20s', run: 'kubectl get svc' },
        { at: '30s', run: 'kubectl delete svc web' },
        { at: '31s', run: 'kubectl get svc' },
      ],
    },
    LB,
  );
  const failed = (t: number, name: string): [number, string, string, string] => [t, name, 'AllocationFailed', `Failed to allocate IP for "default/${name}": no available IPs`];
  // The deletion (committed 30.010, seen 30.015) makes the controller reprocess every Service:
  // web2, the older one waiting, takes the address; web3 fails again.
  assert.deepEqual(events(obs, 'IPAllocated', 'AllocationFailed'), [
    [0.015, 'web', 'IPAllocated', allocated('192.168.1.240')],
    failed(10.015, 'web2'),
    failed(12.015, 'web3'),
    [30.015, 'web2', 'IPAllocated', allocated('192.168.1.240')],
    failed(30.015, 'web3'),
  ]);
  const before = externalIPs(obs.snapshots[0]!.text);
  assert.deepEqual([before.get('web'), before.get('web2'), before.get('web3')], ['192.168.1.240', '<pending>', '<pending>']);
  const after = externalIPs(obs.snapshots[1]!.text);
  assert.deepEqual([after.has('web'), after.get('web2'), after.get('web3')], [false, '192.168.1.240', '<pending>']);
  assert.equal(service(run, 'web2').metadata.annotations?.[POOL_ANNOTATION], 'one');
});

test('deprecated metallb.universe.tf annotations are honoured, then removed with a deprecatedAnnotation Warning', () => {
  const pools = ipAddressPool('lab', 'addresses: [192.168.1.240-192.168.1.250]') + ipAddressPool('other', 'addresses: [10.20.0.0/31]');
  const { run, obs } = runTestScenario(
    { duration: '10s', loadStart: '5s', rate: 5, extraManifests: metallbWithPools(pools) + loadBalancerService('old', { 'metallb.universe.tf/address-pool': 'other' }) },
    LB,
  );
  assert.deepEqual(events(obs, 'IPAllocated', 'deprecatedAnnotation').slice(1), [
    [0.015, 'old', 'IPAllocated', allocated('10.20.0.0')],
    [0.015, 'old', 'deprecatedAnnotation', 'Service uses deprecated annotation metallb.universe.tf/address-pool'],
  ]);
  assert.deepEqual(service(run, 'old').metadata.annotations, { [POOL_ANNOTATION]: 'other' });
});

test("Services MetalLB leaves alone: another load-balancer class, and those a load reaches through a cloud load balancer", () => {
  const { obs } = runTestScenario(
    {
      duration: '30s',
      rate: 5,
      extraManifests: METALLB + loadBalancerService('classy', {}, 'loadBalancerClass: example.com/lb') + loadBalancerService('plain'),
      timeline: [{ at: '10s', run: 'kubectl get svc' }],
    },
    // web is reached through the cloud's load balancer (the default of `loadBalancer`).
    ['spec.manifests[1].spec.type=LoadBalancer', 'spec.load[0].target.via=LoadBalancer'],
  );
  const ips = externalIPs(obs.snapshots[0]!.text);
  assert.deepEqual([ips.get('web'), ips.get('classy'), ips.get('plain')], ['203.0.113.1', '<pending>', '192.168.1.240']);
  assert.deepEqual(events(obs, 'IPAllocated', 'AllocationFailed').map(([, name]) => name), ['plain']);
});
