/**
 * MetalLB BGP with BFD and per-peer timers: the router's BFD Detection Time (RFC 5880 section
 * 6.8.4), the route withdrawn then instead of at the hold timer, each BGPPeer's holdTime and
 * keepaliveTime (MetalLB internal/config parseTimers), the BGPPeer that is the router, the
 * validation of BFDProfile and BGPPeer fields, and the resilient table's bucket count.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Simulation } from '../../engine/core/simulation.js';
import type { BFDProfile, BGPPeer } from '../../engine/api/types.js';
import { BFD_PROFILE_DEFAULTS, ROUTER_BFD_DEFAULTS, routerDetectionTime, speakerTransmitInterval } from '../../engine/network/bfd.js';
import { BgpSessions, ResilientTable } from '../../engine/network/metallb-bgp.js';
import { bfdProfileOf, bgpPeerSessions, bgpTimers } from '../../engine/network/metallb-bgp-peer.js';
import { runScenario } from '../../engine/run.js';
import { loadScenarioFile, loadScenarioText } from '../../engine/scenario/loader.js';
import { MemoryObserver } from '../helpers/memory-observer.js';
import { repoPath } from '../helpers/paths.js';
import { runTestScenario, testScenarioYaml } from '../helpers/scenario.js';
import { bgpPeer, metallbManifests } from '../helpers/metallb.js';

const profile = (spec: BFDProfile['spec'] = {}) => bfdProfileOf({ apiVersion: 'metallb.io/v1beta1', kind: 'BFDProfile', metadata: { name: 'p' }, spec });
const router = (requiredMinRxInterval: number) => ({ ...ROUTER_BFD_DEFAULTS, requiredMinRxInterval });

test('BFD Detection Time = Detect Mult x max(remote Desired Min TX, local Required Min RX), hand-computed (RFC 5880 6.8.4)', () => {
  // MetalLB's/FRR's defaults on both sides: 3 x max(300 ms, 300 ms).
  assert.deepEqual(profile(), BFD_PROFILE_DEFAULTS);
  assert.equal(routerDetectionTime(profile(), ROUTER_BFD_DEFAULTS), 0.9);
  // The router accepts no faster than every 1 s: the speaker slows to 1 s (6.8.7), 5 x 1 s.
  assert.equal(speakerTransmitInterval(profile({ transmitInterval: 100 }), router(1)), 1);
  assert.equal(routerDetectionTime(profile({ transmitInterval: 100, detectMultiplier: 5 }), router(1)), 5);
  // The speaker sends every 2 s, the router would take 50 ms: 2 x 2 s.
  assert.equal(routerDetectionTime(profile({ transmitInterval: 2000, detectMultiplier: 2 }), router(0.05)), 4);
  // The speaker's receiveInterval and echo settings govern its own detection of the router, not this.
  assert.equal(routerDetectionTime(profile({ receiveInterval: 60000, echoMode: true, echoInterval: 10 }), ROUTER_BFD_DEFAULTS), 0.9);
});

/** When each node's session goes down, after node `failed` powers off at `at`. */
function downTimes(timers: { holdTime: number; keepaliveTime: number }, bfd: { transmitInterval: number; detectionTime: number } | undefined, at: number, seed = 1) {
  const sim = new Simulation(seed);
  const nodeDown = new Uint8Array(3);
  const sessions = new BgpSessions(sim, nodeDown, timers, sim.stream('bgp'), bfd && { ...bfd, rng: sim.stream('bfd') });
  const down: { node: number; time: number }[] = [];
  const seen = new Uint8Array(3).fill(1);
  sessions.onChange(() => {
    for (let i = 0; i < 3; i++) if (seen[i] && !sessions.up[i]) down.push({ node: i, time: sim.now });
    seen.set(sessions.up);
  });
  sim.schedule(at, () => void (nodeDown[1] = 1));
  sim.run({ until: at + 200 });
  return down;
}

test('BFD: the session goes down one Detection Time after the last packet, within (at + D - tx, at + D]; the hold timer only after (at + hold - keepalive, at + hold]', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 1000 }), fc.double({ min: 20, max: 60, noNaN: true }), (seed, at) => {
      const bfd = downTimes({ holdTime: 90, keepaliveTime: 30 }, { transmitInterval: 0.3, detectionTime: 0.9 }, at, seed);
      assert.equal(bfd.length, 1);
      assert.equal(bfd[0]!.node, 1);
      assert.ok(bfd[0]!.time > at + 0.6 - 1e-9 && bfd[0]!.time <= at + 0.9 + 1e-9, `down at ${bfd[0]!.time}, failed at ${at}`);
      const hold = downTimes({ holdTime: 9, keepaliveTime: 3 }, undefined, at, seed);
      assert.deepEqual(hold.map((d) => d.node), [1]);
      assert.ok(hold[0]!.time > at + 6 - 1e-9 && hold[0]!.time <= at + 9 + 1e-9, `down at ${hold[0]!.time}, failed at ${at}`);
    }),
    { numRuns: 50 },
  );
  // Hold time 0 (RFC 4271 4.4): no hold timer, the route of a powered-off node stays without BFD.
  assert.deepEqual(downTimes({ holdTime: 0, keepaliveTime: 0 }, undefined, 30), []);
  assert.equal(downTimes({ holdTime: 0, keepaliveTime: 0 }, { transmitInterval: 0.3, detectionTime: 0.9 }, 30).length, 1);
});

test('BGPPeer timers, per peer, as MetalLB parseTimers: 90 s / 30 s by default, keepalive = hold / 3, hold = 3 x keepalive, whole seconds', () => {
  assert.deepEqual(bgpTimers(undefined, undefined), { holdTime: 90, keepaliveTime: 30 });
  assert.deepEqual(bgpTimers(9, undefined), { holdTime: 9, keepaliveTime: 3 });
  assert.deepEqual(bgpTimers(undefined, 10), { holdTime: 30, keepaliveTime: 10 });
  assert.deepEqual(bgpTimers(10, undefined), { holdTime: 10, keepaliveTime: 3 });
  assert.deepEqual(bgpTimers(20, 5), { holdTime: 20, keepaliveTime: 5 });
  const peer = (name: string, spec: Partial<BGPPeer['spec']>): BGPPeer => ({
    apiVersion: 'metallb.io/v1beta2',
    kind: 'BGPPeer',
    metadata: { name, namespace: 'metallb-system' },
    spec: { myASN: 64500, peerASN: 64501, peerAddress: '10.0.0.254', ...spec },
  });
  const bfd: BFDProfile = { apiVersion: 'metallb.io/v1beta1', kind: 'BFDProfile', metadata: { name: 'fast', namespace: 'metallb-system' }, spec: { transmitInterval: 100 } };
  const peers = bgpPeerSessions([peer('tor-b', { holdTime: 9, bfdProfile: 'fast' }), peer('tor-a', {}), bfd]);
  assert.deepEqual(
    peers.map((p) => [p.name, p.holdTime, p.keepaliveTime, p.bfd?.transmitInterval]),
    [
      ['tor-a', 90, 30, undefined],
      ['tor-b', 9, 3, 0.1],
    ],
  );
});

const BFD_PROFILE = `    - apiVersion: metallb.io/v1beta1
      kind: BFDProfile
      metadata: { name: fast, namespace: metallb-system }
      spec: { transmitInterval: 300, detectMultiplier: 3 }
`;
const METALLB = (peers: string) => metallbManifests('BGP', BFD_PROFILE + peers);
const peerYaml = (name: string, spec: string) => bgpPeer(name, `myASN: 64500, peerASN: 64501, peerAddress: 10.0.0.254${spec ? `, ${spec}` : ''}`);
const LB = [
  'spec.manifests[1].spec.type=LoadBalancer',
  'spec.load[0].target.via=LoadBalancer',
  'spec.load[0].target.loadBalancer=metallb',
  'spec.load[0].clients.requestsPerConnection=100000',
  'spec.cluster.nodes[0].labels={"node.kubernetes.io/exclude-from-external-load-balancers": null}',
];

function run(peers: string, overrides: string[] = [], duration = '90s') {
  const { obs, summary } = runTestScenario({ duration, timeout: '2s', extraManifests: METALLB(peers), timeline: [{ at: '40s', run: 'kubesim fail node cp' }] }, [...LB, ...overrides]);
  const sum = (metric: string, pred: (t: number) => boolean) => obs.series('Service', 'web', metric).filter((r) => pred(r.time)).reduce((a, r) => a + r.value, 0);
  return { summary, sum };
}

test('with BFD the router withdraws the powered-off node 0.9 s after its last packet: no timeout after 45 s, where the 9 s hold timer still has them', () => {
  // cp (no pod) fails at 40 s. BFD: withdrawn by 40.9 s; a request sent then times out (2 s) by 42.9 s, in the interval ending at 45 s.
  const bfd = run(peerYaml('tor', 'holdTime: 9s, bfdProfile: fast'));
  assert.ok(bfd.sum('requests_failed_timeout', (t) => t === 45) > 0, 'requests sent to cp before the detection time out');
  assert.equal(bfd.sum('requests_failed_timeout', (t) => t > 45), 0, 'no timeouts once BFD withdrew the route');
  // Modulo hashing: the rehash at the withdrawal moves connections; each breaks at its next request, from the interval ending at 45 s on.
  assert.ok(bfd.sum('requests_failed_connection_broken', (t) => t === 45) > 50);
  assert.equal(bfd.sum('requests_failed_connection_broken', (t) => t <= 40), 0);
  // Same scenario without BFD: the 9 s hold timer withdraws between 46 s and 49 s.
  const hold = run(peerYaml('tor', 'holdTime: 9s'));
  assert.ok(hold.sum('requests_failed_timeout', (t) => t === 50) > 0);
  assert.equal(hold.sum('requests_failed_connection_broken', (t) => t <= 45), 0);
  assert.ok(hold.summary.get('requests_failed_timeout')! > bfd.summary.get('requests_failed_timeout')!);
});

test("each BGPPeer's holdTime: target.bgpPeer picks the router, whose timers apply", () => {
  const peers = peerYaml('tor-a', 'holdTime: 90s') + peerYaml('tor-b', 'holdTime: 9s');
  // tor-b, 9 s: the rehash breaks connections by 50 s.
  const b = run(peers, ['spec.load[0].target.bgpPeer=tor-b'], '2m');
  assert.ok(b.sum('requests_failed_connection_broken', (t) => t <= 50) > 50);
  // tor-a, 90 s (keepalives every 30 s): withdrawn 60-90 s after the failure, not before 100 s.
  const a = run(peers, ['spec.load[0].target.bgpPeer=tor-a'], '2m');
  assert.equal(a.sum('requests_failed_connection_broken', (t) => t <= 100), 0);
  assert.ok(a.sum('requests_failed_connection_broken', (t) => t > 100) > 50);
});

const load = (peers: string, overrides: string[] = []) => {
  const yaml = testScenarioYaml({ extraManifests: METALLB(peers) });
  return () => loadScenarioText(yaml, 'test.yaml', { overrides: [...LB, ...overrides] });
};

test('validation: BGPPeer timers and bfdProfile, BFDProfile ranges, the router among several peers, resilientBuckets; one line naming the path', () => {
  // Manifests: 0 Deployment, 1 Service, 2 Namespace, 3 pool, 4 advertisement, 5 BFDProfile, 6 BGPPeer.
  const cases: [() => unknown, RegExp][] = [
    [load(peerYaml('tor', 'holdTime: 2s')), /^test\.yaml: spec\.manifests\[6\]\.spec\.holdTime: expected a hold time of 0 or at least 3s.*found 2s$/],
    [load(peerYaml('tor', 'keepaliveTime: 500ms')), /spec\.manifests\[6\]\.spec\.keepaliveTime: expected a hold time of 0 or at least 3s.*found 1\.5s/],
    [load(peerYaml('tor', 'holdTime: 9s, keepaliveTime: 10s')), /spec\.manifests\[6\]\.spec\.keepaliveTime: expected a keepaliveTime not above holdTime \(9s\).*10s/],
    [load(peerYaml('tor', 'bfdProfile: slow')), /spec\.manifests\[6\]\.spec\.bfdProfile: expected the name of a BFDProfile in namespace metallb-system \(fast\).*"slow"/],
    [load(peerYaml('tor', ''), ['spec.manifests[5].spec.detectMultiplier=1']), /spec\.manifests\[5\]\.spec\.detectMultiplier.*2.*255/],
    [load(peerYaml('tor', ''), ['spec.manifests[5].spec.transmitInterval=5']), /spec\.manifests\[5\]\.spec\.transmitInterval.*10.*60000/],
    [load(peerYaml('a', '') + peerYaml('b', '')), /spec\.load\[0\]\.target\.bgpPeer: expected the BGPPeer that is the router, one of a, b/],
    [load(peerYaml('a', ''), ['spec.load[0].target.bgpPeer=b']), /spec\.load\[0\]\.target\.bgpPeer: expected the name of a BGPPeer \(a\)/],
    [load(peerYaml('a', ''), ['spec.load[0].target.resilientBuckets=0']), /spec\.load\[0\]\.target\.resilientBuckets/],
  ];
  for (const [f, pattern] of cases) {
    assert.throws(f, (e: Error) => {
      assert.match(e.message, pattern);
      assert.ok(!e.message.includes('\n'), e.message);
      return true;
    });
  }
  // Hold time 0 and 3s are valid (parseTimers: "must be 0 or >=3s"); 2.5s truncates to 2s and is not.
  for (const ok of ['holdTime: 0s', 'holdTime: 3s', 'keepaliveTime: 1s']) load(peerYaml('tor', ok))();
  assert.throws(load(peerYaml('tor', 'holdTime: 2500ms')), /holdTime/);
});

test('resilient table of n buckets: a withdrawn hop of h moves exactly its buckets, about 1/h of them; the rest stay', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 4096 }), fc.integer({ min: 2, max: 8 }), fc.nat(), (buckets, hops, pick) => {
      fc.pre(buckets >= hops);
      const t = new ResilientTable(buckets);
      const all = Array.from({ length: hops }, (_, i) => i);
      t.update(all);
      const before = [...t.owner];
      const gone = pick % hops;
      t.update(all.filter((h) => h !== gone));
      const moved = before.filter((o, i) => o !== t.owner[i]!);
      // Built round robin: the withdrawn hop had floor or ceil(n / h) buckets, and only those move.
      assert.ok(moved.every((o) => o === gone));
      assert.ok(moved.length === Math.floor(buckets / hops) || moved.length === Math.ceil(buckets / hops));
      // The hop returns: it takes floor(n / h) buckets from the others, the rest stay.
      t.update(all);
      const taken = [...t.owner].filter((o) => o === gone).length;
      assert.equal(taken, Math.floor(buckets / hops));
    }),
    { numRuns: 200 },
  );
});

test('resilientBuckets reaches the router: the table has that many buckets and a run with 128 breaks no surviving connection', () => {
  const r = run(peerYaml('tor', 'holdTime: 9s'), ['spec.load[0].target.ecmpHashing=resilient', 'spec.load[0].target.resilientBuckets=128']);
  assert.equal(r.summary.get('requests_failed_connection_broken'), 0);
  // With 3 buckets for 4 next hops one hop has none: 4 nodes announce, but a quarter of the flows do not go to cp.
  const few = run(peerYaml('tor', 'holdTime: 9s'), ['spec.load[0].target.ecmpHashing=resilient', 'spec.load[0].target.resilientBuckets=3']);
  // cp (the fourth hop, index 0 in node order) owns bucket 0 of 3: its withdrawal moves a third of the flows' buckets; those were cp's own, already timed out.
  assert.equal(few.summary.get('requests_failed_connection_broken'), 0);
  assert.ok(few.sum('requests_failed_timeout', () => true) > r.sum('requests_failed_timeout', () => true), 'a third of the flows on cp instead of a quarter');
});

test('metallb-bgp-bfd.yaml: BFD withdraws w3-k8s right after the power-off at 2m, fewer timeouts than metallb-bgp.yaml', () => {
  const runFile = (file: string) => {
    const { scenario } = loadScenarioFile(repoPath(file));
    const obs = new MemoryObserver();
    runScenario(scenario, obs);
    const sum = (metric: string, pred: (t: number) => boolean) => obs.series('Service', 'echo', metric).filter((r) => pred(r.time)).reduce((a, r) => a + r.value, 0);
    return sum;
  };
  const bfd = runFile('scenarios/metallb-bgp-bfd.yaml');
  const hold = runFile('scenarios/metallb-bgp.yaml');
  // Modulo: the rehash breaks connections from the interval ending at 125 s (BFD, 0.9 s) instead of after 180 s (hold timer).
  assert.ok(bfd('requests_failed_connection_broken', (t) => t > 120 && t <= 130) > 50);
  assert.equal(bfd('requests_failed_connection_broken', (t) => t > 150 && t <= 300), 0);
  assert.equal(hold('requests_failed_connection_broken', (t) => t <= 180), 0);
  assert.ok(bfd('requests_failed_timeout', () => true) < hold('requests_failed_timeout', () => true));
});
