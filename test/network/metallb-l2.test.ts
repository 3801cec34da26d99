/**
 * MetalLB L2: without MetalLB manifests a LoadBalancer Service stays <pending>; with an
 * IPAddressPool and an L2Advertisement, the first node of MetalLB's ordering (sha256 of
 * node + "#" + ip) announces the address; losing another node does not move it; losing the
 * announcer moves it to the next node once memberlist declares the node dead. Nodes labelled
 * exclude-from-external-load-balancers (the control plane, by kubeadm) are never candidates.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { l2Order, suspicionTimeout, suspicionTotal, MEMBERLIST_DEFAULTS } from '../../engine/network/metallb-l2.js';
import { parseAddressRange } from '../../engine/network/metallb-config.js';
import { runScenario } from '../../engine/run.js';
import { loadScenarioFile, loadScenarioText } from '../../engine/scenario/loader.js';
import { MemoryObserver } from '../helpers/memory-observer.js';
import { repoPath } from '../helpers/paths.js';
import { runTestScenario, testScenarioYaml } from '../helpers/scenario.js';
import { metallbManifests } from '../helpers/metallb.js';

const METALLB = metallbManifests('L2');
const LB = ['spec.manifests[1].spec.type=LoadBalancer', 'spec.load[0].target.via=LoadBalancer', 'spec.load[0].target.loadBalancer=metallb'];
const NODES = ['cp', 'w1', 'w2', 'w3'];
/** The speakers' candidates: cp carries kubeadm's node.kubernetes.io/exclude-from-external-load-balancers. */
const WORKERS = ['w1', 'w2', 'w3'];
const IP = '192.168.1.240';
const EXCLUDE = 'node.kubernetes.io/exclude-from-external-load-balancers';
/** The control plane's exclude label removed, as `kubectl label node cp KEY-` does. */
const CP_INCLUDED = `spec.cluster.nodes[0].labels={"${EXCLUDE}": null}`;

function entered(obs: MemoryObserver): Map<string, number> {
  return new Map(obs.totals.filter((t) => t.kind === 'Node' && t.metric === 'requests_entered').map((t) => [t.name, t.value]));
}

function assignedNodes(obs: MemoryObserver): { time: number; node: string }[] {
  return obs.eventsWith('nodeAssigned').map((e) => ({ time: e.time, node: /^announcing from node "([^"]+)" with protocol "layer2"$/.exec(e.message)![1]! }));
}

test('l2Order sorts nodes by sha256(node + "#" + ip), bytewise ascending (layer2_controller.go)', () => {
  // Expected order computed independently with coreutils:
  //   printf '%s' "w3#192.168.1.240" | sha256sum  -> 0d05561f...  (w1 4145a264, cp 89697f40, w2 d00e6d6f)
  assert.deepEqual(l2Order(NODES, IP), ['w3', 'w1', 'cp', 'w2']);
  assert.deepEqual(l2Order(['w2', 'cp'], IP), ['cp', 'w2']);
});

test('memberlist defaults: suspicion timeout 4 s below 10 nodes, from 6x down to 1x with k confirmations', () => {
  const { suspicionMult, probeInterval, suspicionMaxTimeoutMult } = MEMBERLIST_DEFAULTS;
  assert.equal(suspicionTimeout(suspicionMult, 4, probeInterval), 4);
  assert.equal(suspicionTimeout(suspicionMult, 100, probeInterval), 8);
  const min = 4;
  const max = suspicionMaxTimeoutMult * min;
  assert.equal(suspicionTotal(0, 2, min, max), 24);
  assert.equal(suspicionTotal(2, 2, min, max), 4);
  assert.equal(suspicionTotal(0, 0, min, max), 4);
  assert.deepEqual(parseAddressRange('10.0.0.0/30'), { first: 167772160, last: 167772163 });
  assert.equal(parseAddressRange('10.0.0.9-10.0.0.1'), undefined);
});

test('without MetalLB manifests the LoadBalancer Service stays <pending>: requests fail as no_endpoints', () => {
  const { obs, summary } = runTestScenario({ duration: '40s' }, LB);
  assert.equal(summary.get('requests_failed_no_endpoints'), summary.get('requests'));
  assert.equal(obs.eventsWith('nodeAssigned').length, 0);
});

test('the L2 leader is the first eligible node in MetalLB ordering; every connection enters there', () => {
  const { obs, summary } = runTestScenario({ duration: '40s', extraManifests: METALLB }, LB);
  const leader = l2Order(WORKERS, IP)[0]!;
  assert.deepEqual(assignedNodes(obs).map((a) => a.node), [leader]);
  for (const [node, n] of entered(obs)) assert.equal(n, node === leader ? summary.get('requests') : 0, node);
  assert.equal(summary.get('requests_failed'), 0);
});

test('Local: only nodes with a ready endpoint are eligible', () => {
  const { obs, summary } = runTestScenario({ duration: '40s', replicas: 1, extraManifests: METALLB }, [...LB, 'spec.manifests[1].spec.externalTrafficPolicy=Local']);
  const podNode = obs.events.find((e) => e.reason === 'Scheduled')!.message.split(' to ').pop()!;
  assert.deepEqual(assignedNodes(obs).map((a) => a.node), [podNode]);
  assert.equal(summary.get('requests_failed_dropped_local'), 0);
  assert.equal(summary.get('requests_failed'), 0);
});

test('nodes labelled node.kubernetes.io/exclude-from-external-load-balancers never announce (speakersForPool)', () => {
  assert.deepEqual(l2Order(NODES, IP), ['w3', 'w1', 'cp', 'w2'], 'cp is only third in the ordering');
  // Label the whole worker pool (spec.cluster.nodes[1]) too: with cp labelled by kubeadm, no speaker is left.
  const label = `spec.cluster.nodes[1].labels={"${EXCLUDE}": "false"}`;
  const none = runTestScenario({ duration: '40s', extraManifests: METALLB }, [...LB, label]);
  assert.equal(none.obs.eventsWith('nodeAssigned').length, 0, 'MetalLB reads only the presence of the label, "false" excludes too');
  assert.equal(none.summary.get('requests_failed_no_endpoints'), none.summary.get('requests'));
  // The operator removes cp's label: its speaker is the only one left for the address.
  const { obs, summary } = runTestScenario({ duration: '40s', extraManifests: METALLB }, [...LB, label, CP_INCLUDED]);
  assert.deepEqual(assignedNodes(obs).map((a) => a.node), ['cp']);
  for (const [node, n] of entered(obs)) assert.equal(n, node === 'cp' ? summary.get('requests') : 0, node);
  assert.equal(summary.get('requests_failed'), 0);
});

test("kubeadm's label keeps the control plane out of the election: losing w3 and w1 moves the address past cp to w2", () => {
  // Ordering w3, w1, cp, w2: cp would be next after the first two.
  const timeline = [
    { at: '30s', run: 'kubesim fail node w3' },
    { at: '45s', run: 'kubesim fail node w1' },
  ];
  const options = { duration: '70s', extraManifests: METALLB, timeline };
  const kubeadm = runTestScenario(options, LB);
  assert.deepEqual(assignedNodes(kubeadm.obs).map((a) => a.node), ['w3', 'w1', 'w2']);
  assert.equal(entered(kubeadm.obs).get('cp'), 0);
  const included = runTestScenario(options, [...LB, CP_INCLUDED]);
  assert.deepEqual(assignedNodes(included.obs).map((a) => a.node), ['w3', 'w1', 'cp']);
  assert.ok(entered(included.obs).get('cp')! > 0);
});

test('removing a node that does not announce leaves the address where it is', () => {
  const order = l2Order(WORKERS, IP);
  const other = order.find((n) => n !== order[0] && n !== 'cp')!;
  const { obs } = runTestScenario({ duration: '90s', timeline: [{ at: '40s', run: `kubesim fail node ${other}` }], extraManifests: METALLB }, LB);
  assert.deepEqual(assignedNodes(obs).map((a) => a.node), [order[0]]);
  assert.equal(entered(obs).get(other), 0);
});

test('failover: the next node in the ordering announces once memberlist declares the leader dead', () => {
  const failAt = 40;
  const options = { duration: '90s', sampleInterval: '1s', timeout: '2s', extraManifests: METALLB };
  // Local, so that the new leader serves from its own pods (under Cluster its kube-proxy would
  // still send some connections to the dead node's pods until the node is NotReady).
  const local = [...LB, 'spec.manifests[1].spec.externalTrafficPolicy=Local'];
  const probe = runTestScenario({ ...options, duration: '30s' }, local);
  const podNodes = [...new Set(probe.obs.eventsWith('Scheduled').map((e) => e.message.split(' to ').pop()!))];
  const order = l2Order(podNodes, IP);
  assert.ok(order.length >= 2, `pods on ${podNodes.join(', ')}`);
  const { obs } = runTestScenario({ ...options, timeline: [{ at: `${failAt}s`, run: `kubesim fail node ${order[0]}` }] }, local);
  // While the pods become ready one by one the address moves to the first ready node of the ordering.
  const before = assignedNodes(obs).filter((a) => a.time < failAt);
  const after = assignedNodes(obs).filter((a) => a.time >= failAt);
  assert.equal(before.at(-1)!.node, order[0]);
  assert.deepEqual(
    after.map((a) => a.node),
    [order[1]],
  );
  // 4 members: probed within 1 s, failed at the end of that interval, then confirmed by the two
  // other live members within 2 s, so the suspicion lasts its minimum, 4 s.
  const t = after[0]!.time;
  assert.ok(t > failAt + 1 + 4 && t <= failAt + 2 + 4 + 1e-9, `failover at ${t}`);
  const timeouts = obs.series('Service', 'web', 'requests_failed_timeout');
  assert.ok(timeouts.some((s) => s.value > 0), 'requests sent to the dead leader time out');
  for (const s of timeouts) if (s.time > t + 2 + 1) assert.equal(s.value, 0, `timeouts at ${s.time}`);
});

test('MetalLB manifests are validated', () => {
  const bad = METALLB.replace('192.168.1.240-192.168.1.250', '192.168.1.300/24');
  assert.throws(() => loadScenarioText(testScenarioYaml({ extraManifests: bad }), 'test.yaml'), /spec\.manifests\[3\]\.spec\.addresses\[0\].*IPv4 CIDR/);
});

test('metallb-l2-failover.yaml: w3-k8s announces (m-k8s is excluded), fails over to w1-k8s ~6 s after it powers off, takes the address back after it rejoins', () => {
  const { scenario } = loadScenarioFile(repoPath('scenarios/metallb-l2-failover.yaml'));
  assert.equal(scenario.cluster.nodes[0]!.labels[EXCLUDE], '', 'kubeadm labels the control plane');
  assert.deepEqual(l2Order(['w1-k8s', 'w2-k8s', 'w3-k8s'], IP), ['w3-k8s', 'w1-k8s', 'w2-k8s']);
  const obs = new MemoryObserver();
  runScenario(scenario, obs);
  const assigned = assignedNodes(obs);
  assert.deepEqual(
    assigned.map((a) => a.node),
    ['w3-k8s', 'w1-k8s', 'w3-k8s'],
  );
  assert.ok(assigned[1]!.time > 125 && assigned[1]!.time <= 127, `failover at ${assigned[1]!.time}`);
  // Rejoin at the speakers' next periodic join, within a minute of the boot at 6m.
  assert.ok(assigned[2]!.time > 360 && assigned[2]!.time <= 420, `back at ${assigned[2]!.time}`);
  const timeouts = obs.series('Service', 'echo', 'requests_failed_timeout'); // per 5 s interval ending at `time`
  const sum = (pred: (t: number) => boolean) => timeouts.filter((r) => pred(r.time)).reduce((a, r) => a + r.value, 0);
  // ~100 requests/s for the ~6 s the address pointed at the dead node: they time out (5 s) by 131 s.
  const failover = assigned[1]!.time;
  assert.ok(sum((t) => t <= 130) > 450 && sum((t) => t <= 130) < 700, `timeouts by 130 s: ${sum((t) => t <= 130)}`);
  // Then the third of w1-k8s's connections that kube-proxy sends to w3-k8s's pod, until w3-k8s is
  // NotReady (node-monitor-grace-period 50 s) and the pod leaves the endpoints.
  const notReady = obs.eventsWith('NodeNotReady');
  assert.equal(notReady.length, 1);
  assert.ok(notReady[0]!.time > 165 && notReady[0]!.time <= 171, `NotReady at ${notReady[0]!.time}`);
  const total = sum(() => true);
  const expected = 100 * (failover - 120) + (100 / 3) * (notReady[0]!.time - failover);
  assert.ok(total > 0.9 * expected && total < 1.1 * expected, `${total} timeouts, ~${expected.toFixed(0)} expected`);
  assert.equal(sum((t) => t > notReady[0]!.time + 5 + 5), 0, 'none once the endpoints dropped the pod');
});
