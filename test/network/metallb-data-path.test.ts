/**
 * The speakers follow MetalLB's controller: they read a Service's address from its status (speaker
 * main.go SetBalancer), so a load through MetalLB stops when its Service is deleted, resumes when
 * the Service is created again and gets an address (or keeps failing when the pool is
 * exhausted), re-elects for a new address (layer2_controller.go ordering by sha256(node#ip)),
 * and is announced the way the new address's pool is advertised (L2 or BGP).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { l2Order } from '../../engine/network/metallb-l2.js';
import type { MemoryObserver } from '../helpers/memory-observer.js';
import { runTestScenario } from '../helpers/scenario.js';
import { advertisement, bgpPeer, ipAddressPool, metallbManifests, metallbWithPools } from '../helpers/metallb.js';

const LB = ['spec.manifests[1].spec.type=LoadBalancer', 'spec.load[0].target.via=LoadBalancer', 'spec.load[0].target.loadBalancer=metallb'];
const WORKERS = ['w1', 'w2', 'w3'];

/** Sum of a Service metric over the sample intervals ending in (from, to]. */
function sum(obs: MemoryObserver, metric: string, from: number, to: number): number {
  return obs.series('Service', 'web', metric).filter((s) => s.time > from && s.time <= to).reduce((a, s) => a + s.value, 0);
}

function announced(obs: MemoryObserver): [number, string, string][] {
  return obs.eventsWith('nodeAssigned').map((e) => {
    const [, node, protocol] = /^announcing from node "([^"]+)" with protocol "([^"]+)"$/.exec(e.message)!;
    return [e.time, node!, protocol!];
  });
}

const RECREATE = [
  { at: '30s', run: 'kubectl delete svc web' },
  { at: '40s', run: 'kubectl expose deployment web --type=LoadBalancer --port=80' },
];

test('a load to a manifest Service that the timeline deletes and creates again: no way in meanwhile, then the address comes back', () => {
  const { obs } = runTestScenario({ duration: '60s', extraManifests: metallbManifests('L2'), timeline: RECREATE }, LB);
  assert.deepEqual(
    obs.eventsWith('IPAllocated').map((e) => [e.time, e.message]),
    [
      [0.015, 'Assigned IP ["192.168.1.240"]'],
      [40.015, 'Assigned IP ["192.168.1.240"]'],
    ],
  );
  assert.equal(sum(obs, 'requests_failed_no_endpoints', 0, 30), 0);
  // Deleted at 30.010: requests from then until the new Service is announced find no way in.
  assert.ok(sum(obs, 'requests_failed_no_endpoints', 30, 45) > 0);
  assert.equal(sum(obs, 'requests_failed_no_endpoints', 45, 60), 0);
  assert.ok(sum(obs, 'requests_served', 45, 60) > 0);
  // The same address, the same ordering: its first worker announces again when the speakers see
  // the new Service's status (written at 40.015, committed 40.025, seen 40.030), its endpoints
  // being ready by then.
  assert.deepEqual(announced(obs).filter(([t]) => t > 30), [[40.03, l2Order(WORKERS, '192.168.1.240')[0]!, 'layer2']]);
});

test('the same, but another Service took the only address meanwhile: the load keeps failing', () => {
  const { obs } = runTestScenario(
    {
      duration: '60s',
      extraManifests: metallbWithPools(ipAddressPool('one', 'addresses: [192.168.1.240/32]')),
      timeline: [RECREATE[0]!, { at: '35s', run: 'kubectl expose deployment web --type=LoadBalancer --name=other --port=8080' }, RECREATE[1]!],
    },
    LB,
  );
  assert.deepEqual(
    obs.events.filter((e) => e.reason === 'IPAllocated' || e.reason === 'AllocationFailed').map((e) => [e.time, e.name, e.message]),
    [
      [0.015, 'web', 'Assigned IP ["192.168.1.240"]'],
      [35.015, 'other', 'Assigned IP ["192.168.1.240"]'],
      [40.015, 'web', 'Failed to allocate IP for "default/web": no available IPs'],
    ],
  );
  assert.equal(announced(obs).filter(([t]) => t > 30).length, 0);
  const late = sum(obs, 'requests', 45, 60);
  assert.ok(late > 0);
  assert.equal(sum(obs, 'requests_failed_no_endpoints', 45, 60), late);
});

test('a new address is elected for anew: the first node of its own ordering announces it', () => {
  const next = '192.168.1.245';
  const { obs } = runTestScenario(
    {
      duration: '50s',
      extraManifests: metallbManifests('L2'),
      timeline: [{ at: '30s', run: `kubectl patch svc web -p '{metadata: {annotations: {metallb.io/loadBalancerIPs: ${next}}}}'` }],
    },
    LB,
  );
  assert.deepEqual(
    obs.eventsWith('IPAllocated').map((e) => [e.time, e.message]),
    [
      [0.015, 'Assigned IP ["192.168.1.240"]'],
      [30.015, `Assigned IP ["${next}"]`],
    ],
  );
  // The status write of the new address commits at 30.025 and the speakers see it at 30.030.
  assert.deepEqual(
    announced(obs).filter(([t]) => t > 30),
    [[30.03, l2Order(WORKERS, next)[0]!, 'layer2']],
  );
  assert.equal(obs.summaryValues.get('requests_failed'), 0);
});

test('the mode follows the pool of the address: from a BGP-advertised pool to an L2-advertised one', () => {
  const metallb = metallbWithPools(
    ipAddressPool('a-bgp', 'addresses: [10.30.0.0/30]') + ipAddressPool('b-l2', 'addresses: [192.168.1.240/30]'),
    advertisement('BGP', 'routed', ['a-bgp']) + advertisement('L2', 'arp', ['b-l2']) + bgpPeer('tor', 'myASN: 64500, peerASN: 64501, peerAddress: 10.0.0.254'),
  );
  const { obs, summary } = runTestScenario(
    {
      duration: '50s',
      extraManifests: metallb,
      timeline: [{ at: '30s', run: "kubectl patch svc web -p '{metadata: {annotations: {metallb.io/address-pool: b-l2}}}'" }],
    },
    LB,
  );
  assert.deepEqual(
    obs.eventsWith('IPAllocated').map((e) => [e.time, e.message]),
    [
      [0.015, 'Assigned IP ["10.30.0.0"]'],
      [30.015, 'Assigned IP ["192.168.1.240"]'],
    ],
  );
  const before = announced(obs).filter(([t]) => t < 30);
  assert.deepEqual(before.map(([, node, protocol]) => [node, protocol]).sort(), WORKERS.map((w) => [w, 'bgp']));
  assert.deepEqual(announced(obs).filter(([t]) => t > 30), [[30.03, l2Order(WORKERS, '192.168.1.240')[0]!, 'layer2']]);
  // After the switch every new connection enters at the L2 announcer; nothing fails on the way.
  assert.equal(summary.get('requests_failed'), 0);
});
