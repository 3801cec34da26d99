/**
 * MetalLB BGP: every eligible node announces (nodeAssigned, protocol "bgp"), the control plane
 * not while kubeadm's exclude-from-external-load-balancers label is on it; the router's ECMP
 * maps flows to next hops by modulo or resilient hashing; a node that powers off is withdrawn
 * after the hold time, and the remapping breaks established connections, far more under modulo.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import type { BGPAdvertisement, IPAddressPool, Labels } from '../../engine/api/types.js';
import { flowHash, ResilientTable } from '../../engine/network/metallb-bgp.js';
import { metalLbConfig } from '../../engine/network/metallb-config.js';
import { runScenario } from '../../engine/run.js';
import { loadScenarioFile, loadScenarioText } from '../../engine/scenario/loader.js';
import { MemoryObserver } from '../helpers/memory-observer.js';
import { repoPath } from '../helpers/paths.js';
import { runTestScenario, testScenarioYaml } from '../helpers/scenario.js';
import { bgpPeer, metallbManifests } from '../helpers/metallb.js';

const METALLB = metallbManifests('BGP', bgpPeer('tor', 'myASN: 64500, peerASN: 64501, peerAddress: 10.0.0.254, holdTime: 9s'));
const LB = [
  'spec.manifests[1].spec.type=LoadBalancer',
  'spec.load[0].target.via=LoadBalancer',
  'spec.load[0].target.loadBalancer=metallb',
  'spec.load[0].clients.requestsPerConnection=100000',
];

const EXCLUDE = 'node.kubernetes.io/exclude-from-external-load-balancers';
/** The control plane's exclude label removed, as `kubectl label node cp KEY-` does: a node with no pod that announces. */
const CP_INCLUDED = `spec.cluster.nodes[0].labels={"${EXCLUDE}": null}`;

function announcers(obs: MemoryObserver): { time: number; node: string }[] {
  return obs.eventsWith('nodeAssigned').map((e) => ({ time: e.time, node: /^announcing from node "([^"]+)" with protocol "bgp"$/.exec(e.message)![1]! }));
}

test('resilient table, 8 buckets, hand-computed: build, withdraw hop 1, add it back', () => {
  const t = new ResilientTable(8);
  t.update([0, 1, 2, 3]);
  assert.deepEqual([...t.owner], [0, 1, 2, 3, 0, 1, 2, 3]);
  // Buckets 1 and 5 were hop 1's: bucket 1 to the least loaded (all 2, first: 0), bucket 5 to 2 (0 has 3 now).
  t.update([0, 2, 3]);
  assert.deepEqual([...t.owner], [0, 0, 2, 3, 0, 2, 2, 3]);
  // Hop 1 takes floor(8/4) = 2: bucket 0 from hop 0 (3, first of the most loaded), then bucket 2 from hop 2 (3).
  t.update([0, 1, 2, 3]);
  assert.deepEqual([...t.owner], [1, 0, 1, 3, 0, 2, 2, 3]);
});

test('4 next hops to 3: resilient moves exactly the withdrawn quarter, modulo about three quarters', () => {
  const t = new ResilientTable(64);
  t.update([0, 1, 2, 3]);
  const before = [...t.owner];
  t.update([0, 2, 3]);
  const moved = before.filter((o, i) => o !== t.owner[i]);
  assert.equal(moved.length, 16);
  assert.ok(moved.every((o) => o === 1));
  // Orphans 1, 5, 9, ... go round-robin to 0, 2, 3: 6, 5, 5 more.
  const count = (h: number) => t.owner.filter((o) => o === h).length;
  assert.deepEqual([count(0), count(2), count(3)], [22, 21, 21]);
  // Modulo over a period of 12 hashes: hops[h % 4] = hops'[h % 3] only for h = 0, 10, 11.
  const four = [0, 1, 2, 3];
  const three = [0, 2, 3];
  let kept = 0;
  for (let h = 0; h < 12; h++) if (four[h % 4] === three[h % 3]) kept++;
  assert.equal(kept, 3);
  // The flow hash spreads 256 clients' flows evenly enough over 4 hops (each 64 +- 24).
  const spread = [0, 0, 0, 0];
  for (let c = 0; c < 256; c++) spread[flowHash(0x64400000 + c, 32768, 0xc0a801f0, 80) % 4]!++;
  for (const n of spread) assert.ok(Math.abs(n - 64) < 24, `spread ${spread.join(', ')}`);
  assert.equal(flowHash(1, 2, 3, 4), flowHash(1, 2, 3, 4));
});

test('BGPAdvertisement and BGPPeer are read: pool advertised from selected nodes, hold time (default 90 s)', () => {
  const nodes: { name: string; labels: Labels }[] = [
    { name: 'a', labels: { bgp: 'yes' } },
    { name: 'b', labels: {} },
  ];
  const pool: IPAddressPool = { apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'p' }, spec: { addresses: ['10.1.0.0/30'] } };
  const adv: BGPAdvertisement = { apiVersion: 'metallb.io/v1beta1', kind: 'BGPAdvertisement', metadata: { name: 'x' }, spec: { nodeSelectors: [{ matchLabels: { bgp: 'yes' } }] } };
  const c = metalLbConfig([pool, adv], nodes);
  assert.deepEqual([...c.bgpFrom.get('p')!], ['a']);
  assert.deepEqual(c.peers, []);
  assert.equal(c.announcedFrom.size, 0);
  // bgp_controller.go ShouldAnnounce: a node with the exclude label does not announce, whatever its selectors.
  const excluded = metalLbConfig([pool, { ...adv, spec: {} }], [
    { name: 'a', labels: { 'node.kubernetes.io/exclude-from-external-load-balancers': 'true' } },
    { name: 'b', labels: {} },
  ]);
  assert.deepEqual([...excluded.bgpFrom.get('p')!], ['b']);
});

test("every worker announces, not the control plane kubeadm labelled exclude-from-external-load-balancers (ShouldAnnounce)", () => {
  const { obs, summary } = runTestScenario({ duration: '40s', extraManifests: METALLB }, LB);
  assert.deepEqual(announcers(obs).map((a) => a.node).sort(), ['w1', 'w2', 'w3']);
  const entered = new Map(obs.totals.filter((t) => t.kind === 'Node' && t.metric === 'requests_entered').map((t) => [t.name, t.value]));
  assert.equal(entered.get('cp'), 0);
  assert.equal(summary.get('requests_failed'), 0);
});

test('every node announces; a powered-off node is withdrawn only after the hold time; modulo breaks more connections than resilient', () => {
  // cp's label removed: a node with no pod, so that its failure costs only what the router sends it.
  const options = { duration: '90s', timeout: '2s', extraManifests: METALLB, timeline: [{ at: '40s', run: 'kubesim fail node cp' }] };
  const modulo = runTestScenario(options, [...LB, CP_INCLUDED]);
  const resilient = runTestScenario(options, [...LB, CP_INCLUDED, 'spec.load[0].target.ecmpHashing=resilient']);
  assert.deepEqual(announcers(modulo.obs).map((a) => a.node).sort(), ['cp', 'w1', 'w2', 'w3']);
  // Hold time 9 s, keepalives every 3 s: withdrawn between 46 s and 49 s; connections to cp meanwhile time out.
  assert.ok(modulo.summary.get('requests_failed_timeout')! > 0);
  const timeouts = modulo.obs.series('Service', 'web', 'requests_failed_timeout'); // per 5 s interval ending at `time`
  const sum = (pred: (t: number) => boolean) => timeouts.filter((r) => pred(r.time)).reduce((a, r) => a + r.value, 0);
  // Requests sent 43-48 s (still routed to cp) time out in the interval ending at 50 s: not withdrawn at once ...
  assert.ok(sum((t) => t === 50) > 0, 'timeouts while the hold timer runs');
  // ... and none sent after 49 s do, so nothing times out after 51 s (the interval ending at 55 s holds 50-55 s).
  assert.equal(sum((t) => t > 55), 0, 'no timeouts once the route is withdrawn');
  assert.equal(sum((t) => t <= 40), 0);
  const brokenModulo = modulo.summary.get('requests_failed_connection_broken')!;
  const brokenResilient = resilient.summary.get('requests_failed_connection_broken')!;
  // Resilient: cp's flows were already closed (its node is down), the survivors keep their buckets.
  assert.equal(brokenResilient, 0);
  assert.ok(brokenModulo > 50, `modulo broke ${brokenModulo}`);
});

test('Local: only nodes with a ready endpoint announce', () => {
  const { obs } = runTestScenario({ duration: '40s', replicas: 1, extraManifests: METALLB }, [...LB, 'spec.manifests[1].spec.externalTrafficPolicy=Local']);
  const podNode = obs.events.find((e) => e.reason === 'Scheduled')!.message.split(' to ').pop()!;
  assert.deepEqual(announcers(obs).map((a) => a.node), [podNode]);
});

test('BGPPeer is validated', () => {
  const bad = METALLB.replace('peerAddress: 10.0.0.254', 'peerAddress: router');
  assert.throws(() => loadScenarioText(testScenarioYaml({ extraManifests: bad }), 'test.yaml'), /spec\.manifests\[5\]\.spec\.peerAddress.*IPv4 address/);
});

test('metallb-bgp.yaml: three announcers (not m-k8s); modulo hashing breaks more connections than resilient', () => {
  const run = (hashing: string) => {
    const { scenario } = loadScenarioFile(repoPath('scenarios/metallb-bgp.yaml'), { overrides: [`spec.load[0].target.ecmpHashing=${hashing}`] });
    const obs = new MemoryObserver();
    runScenario(scenario, obs);
    return obs;
  };
  const modulo = run('modulo');
  const resilient = run('resilient');
  assert.deepEqual(announcers(modulo).filter((a) => a.time < 120).map((a) => a.node), ['w1-k8s', 'w2-k8s', 'w3-k8s']);
  // w3-k8s announces again after booting at 5m.
  assert.deepEqual(announcers(modulo).filter((a) => a.time >= 120).map((a) => a.node), ['w3-k8s']);
  const series = (obs: MemoryObserver, metric: string) => obs.series('Service', 'echo', metric); // per 5 s interval ending at `time`
  const sum = (obs: MemoryObserver, metric: string, pred: (t: number) => boolean) => series(obs, metric).filter((r) => pred(r.time)).reduce((a, r) => a + r.value, 0);
  const broken = (obs: MemoryObserver, pred: (t: number) => boolean = () => true) => sum(obs, 'requests_failed_connection_broken', pred);
  assert.ok(broken(modulo) > 2 * broken(resilient), `modulo ${broken(modulo)}, resilient ${broken(resilient)}`);
  // The hold timer (90 s, keepalives every 30 s) expires 60-90 s after the power-off at 2m: the
  // rehash breaks connections then under modulo only; w3-k8s's return at 5m breaks some under both.
  const withdrawal = (t: number) => t > 180 && t <= 220;
  assert.ok(broken(modulo, withdrawal) > 0.3 * 256, `modulo at the withdrawal: ${broken(modulo, withdrawal)} of 256 connections`);
  assert.equal(broken(resilient, withdrawal), 0);
  assert.equal(broken(resilient, (t) => t > 300 && t <= 340), broken(resilient), 'resilient: all when w3-k8s returns');
  for (const obs of [modulo, resilient]) {
    // Timeouts: flows to w3-k8s and connections to its pod, until their clients reconnect elsewhere; none before the failure.
    assert.equal(sum(obs, 'requests_failed_timeout', (t) => t <= 120), 0);
    assert.ok(sum(obs, 'requests_failed_timeout', () => true) > 50);
  }
});
