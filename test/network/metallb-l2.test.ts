/**
 * MetalLB L2: without MetalLB manifests a LoadBalancer Service stays <pending>; with an
 * IPAddressPool and an L2Advertisement, the first node of MetalLB's ordering (sha256 of
 * node + "#" + ip) announces the address; losing another node does not move it; losing the
 * announcer moves it to the next node once memberlist declares the node dead.
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

const METALLB = `    - { apiVersion: v1, kind: Namespace, metadata: { name: metallb-system } }
    - apiVersion: metallb.io/v1beta1
      kind: IPAddressPool
      metadata: { name: lab, namespace: metallb-system }
      spec: { addresses: [192.168.1.240-192.168.1.250] }
    - apiVersion: metallb.io/v1beta1
      kind: L2Advertisement
      metadata: { name: lab, namespace: metallb-system }
      spec: { ipAddressPools: [lab] }
`;
const LB = ['spec.manifests[1].spec.type=LoadBalancer', 'spec.load[0].target.via=LoadBalancer', 'spec.load[0].target.loadBalancer=metallb'];
const NODES = ['cp', 'w1', 'w2', 'w3'];
const IP = '192.168.1.240';

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

test('the L2 leader is the first node in MetalLB ordering; every connection enters there', () => {
  const { obs, summary } = runTestScenario({ duration: '40s', extraManifests: METALLB }, LB);
  const leader = l2Order(NODES, IP)[0]!;
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
  // Label the whole worker pool (spec.cluster.nodes[1]): only cp's speaker is left for the address.
  const label = 'spec.cluster.nodes[1].labels={"node.kubernetes.io/exclude-from-external-load-balancers": ""}';
  const { obs, summary } = runTestScenario({ duration: '40s', extraManifests: METALLB }, [...LB, label]);
  assert.deepEqual(assignedNodes(obs).map((a) => a.node), ['cp']);
  for (const [node, n] of entered(obs)) assert.equal(n, node === 'cp' ? summary.get('requests') : 0, node);
  assert.equal(summary.get('requests_failed'), 0);
});

test('removing a node that does not announce leaves the address where it is', () => {
  const order = l2Order(NODES, IP);
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

test('metallb-l2-failover.yaml: m-k8s announces, fails over to w3-k8s ~6 s after it powers off, takes the address back after it rejoins', () => {
  const { scenario } = loadScenarioFile(repoPath('scenarios/metallb-l2-failover.yaml'));
  const obs = new MemoryObserver();
  runScenario(scenario, obs);
  const assigned = assignedNodes(obs);
  assert.deepEqual(
    assigned.map((a) => a.node),
    ['m-k8s', 'w3-k8s', 'm-k8s'],
  );
  assert.ok(assigned[1]!.time > 125 && assigned[1]!.time <= 127, `failover at ${assigned[1]!.time}`);
  // Rejoin at the speakers' next periodic join, within a minute of the boot at 6m.
  assert.ok(assigned[2]!.time > 360 && assigned[2]!.time <= 420, `back at ${assigned[2]!.time}`);
  const timeouts = obs.totals.find((t) => t.kind === 'Service' && t.name === 'echo' && t.metric === 'requests_failed_timeout')!.value;
  // ~100 requests/s for the ~6 s the address pointed at a dead node.
  assert.ok(timeouts > 300 && timeouts < 900, `timeouts ${timeouts}`);
});
