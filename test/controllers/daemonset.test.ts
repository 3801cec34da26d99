/**
 * The DaemonSet controller: which nodes should run a daemon pod (hand-computed cases in the
 * manner of pkg/controller/daemon/daemon_controller_test.go TestNodeShouldRunDaemonPod,
 * TestTaintedNodeDaemonDoesNotLaunchIntolerantPods, TestNodeSelectorDaemonLaunchesPods), the
 * tolerations it adds (util.AddOrUpdateDaemonPodTolerations), and in a running cluster: exactly
 * one pod per eligible node, nodes that become eligible or appear later, NoExecute taints, and
 * a RollingUpdate that keeps at most maxUnavailable (1) node without an available pod.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { isPodActive, isPodReady } from '../../engine/api/pod-lifecycle.js';
import type { DaemonSet, Node, Pod, Taint } from '../../engine/api/types.js';
import { daemonPodTolerations, nodeShouldRunDaemonPod, podByCreationTimestampAndPhase } from '../../engine/controllers/daemonset-util.js';
import { ScenarioRun } from '../../engine/run.js';
import { loadScenarioText } from '../../engine/scenario/loader.js';
import { MemoryObserver } from '../helpers/memory-observer.js';

function node(name: string, o: { labels?: Record<string, string>; taints?: Taint[]; unschedulable?: boolean } = {}): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...o.labels } },
    spec: { taints: o.taints, unschedulable: o.unschedulable },
    status: { capacity: { cpu: '2', memory: '4Gi', pods: '110' }, allocatable: { cpu: '2', memory: '4Gi', pods: '110' }, addresses: [], conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

function daemonSet(spec: Partial<DaemonSet['spec']['template']['spec']> = {}): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'agent:1' }], ...spec } } },
  };
}

const should = (n: Node, ds: DaemonSet) => {
  const r = nodeShouldRunDaemonPod(n, ds);
  return [r.shouldRun, r.shouldContinueRunning];
};

test('nodeShouldRunDaemonPod: selector, affinity and taints decide (shouldRun, shouldContinueRunning)', () => {
  const plain = daemonSet();
  assert.deepEqual(should(node('n'), plain), [true, true], 'no constraints');
  assert.deepEqual(should(node('n', { unschedulable: true }), plain), [true, true], 'cordoned: daemon pods tolerate unschedulable');
  assert.deepEqual(should(node('n', { taints: [{ key: 'k', effect: 'PreferNoSchedule' }] }), plain), [true, true], 'PreferNoSchedule is not a predicate');
  assert.deepEqual(should(node('n', { taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] }), plain), [false, true], 'NoSchedule: no new pod, a running one stays');
  assert.deepEqual(should(node('n', { taints: [{ key: 'k', effect: 'NoExecute' }] }), plain), [false, false], 'NoExecute evicts');
  assert.deepEqual(should(node('n', { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] }), plain), [true, true], 'not-ready is tolerated');
  assert.deepEqual(should(node('n', { taints: [{ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' }] }), plain), [true, true], 'memory pressure is tolerated');
  const tolerant = daemonSet({ tolerations: [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' }] });
  assert.deepEqual(should(node('n', { taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] }), tolerant), [true, true], 'tolerated taint');
  const selective = daemonSet({ nodeSelector: { disk: 'ssd' } });
  assert.deepEqual(should(node('n', { labels: { disk: 'ssd' } }), selective), [true, true]);
  assert.deepEqual(should(node('n', { labels: { disk: 'hdd' } }), selective), [false, false]);
  const affine = daemonSet({
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }] } } },
  });
  assert.deepEqual(should(node('n', { labels: { zone: 'b' } }), affine), [true, true]);
  assert.deepEqual(should(node('n', { labels: { zone: 'c' } }), affine), [false, false]);
  assert.deepEqual(should(node('other'), daemonSet({ nodeName: 'n' })), [false, false], 'spec.nodeName names another node');
});

test('podByCreationTimestampAndPhase: bound pods first, then creation time in whole seconds (metav1.Time), then name', () => {
  const pod = (name: string, created: number, nodeName?: string): Pod => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, creationTimestamp: created },
    spec: { containers: [], ...(nodeName && { nodeName }) },
  });
  // Hand-computed: agent-b (10.2 s) and agent-a (10.7 s) are both 10 s for the API, so the name
  // decides and agent-a comes first, although agent-b is 0.5 s older unrounded; agent-c (9.9 s)
  // is 9 s, first of the bound ones; agent-d, the oldest, is not bound and comes last.
  const pods = [pod('agent-b', 10.2, 'w1'), pod('agent-d', 3, undefined), pod('agent-a', 10.7, 'w1'), pod('agent-c', 9.9, 'w1')];
  assert.deepEqual(pods.sort(podByCreationTimestampAndPhase).map((p) => p.metadata.name), ['agent-c', 'agent-a', 'agent-b', 'agent-d']);
  // A whole second apart, the older wins whatever the names.
  assert.ok(podByCreationTimestampAndPhase(pod('agent-z', 10.9, 'w1'), pod('agent-a', 11.0, 'w1')) < 0);
  assert.equal(podByCreationTimestampAndPhase(pod('agent-a', 5.1, 'w1'), pod('agent-a', 5.8, 'w1')), 0);
});

test('daemon pod tolerations: the six upstream ones, in order, replacing an equal toleration', () => {
  const own = { key: 'node.kubernetes.io/unreachable', operator: 'Exists' as const, effect: 'NoExecute' as const, tolerationSeconds: 300 };
  const mine = { key: 'dedicated', operator: 'Equal' as const, value: 'db', effect: 'NoSchedule' as const };
  const tolerations = daemonPodTolerations({ containers: [], tolerations: [own, mine] });
  assert.deepEqual(tolerations, [
    // Same key, operator, value and effect: replaced by the controller's (no tolerationSeconds: forever).
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    mine,
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ]);
  const hostNetwork = daemonPodTolerations({ containers: [], hostNetwork: true });
  assert.deepEqual(hostNetwork.at(-1), { key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
});

const SCENARIO = `apiVersion: kubesim.dev/v1alpha1
kind: Scenario
metadata: { name: ds }
spec:
  duration: 2m
  cluster:
    podCIDR: 10.244.0.0/16
    nodes:
      - { name: cp, ip: 10.0.0.1, role: control-plane, taints: [{ key: node-role.kubernetes.io/control-plane, effect: NoSchedule }] }
      - { name: w1, ip: 10.0.0.11, labels: { disk: hdd } }
      - { name: w2, ip: 10.0.0.12, labels: { disk: ssd } }
      - { name: w3, ip: 10.0.0.13, taints: [{ key: dedicated, value: db, effect: NoSchedule }] }
      - { name: w4, ip: 10.0.0.14, unschedulable: true }
  manifests:
    - apiVersion: apps/v1
      kind: DaemonSet
      metadata: { name: agent }
      spec:
        selector: { matchLabels: { app: agent } }
        template:
          metadata: { labels: { app: agent } }
          spec:
            containers: [{ name: agent, image: "agent:1", resources: { requests: { cpu: 50m } } }]
    - apiVersion: apps/v1
      kind: DaemonSet
      metadata: { name: ssd-agent }
      spec:
        selector: { matchLabels: { app: ssd-agent } }
        template:
          metadata: { labels: { app: ssd-agent } }
          spec:
            nodeSelector: { disk: ssd }
            containers: [{ name: agent, image: "agent:1" }]
    - apiVersion: apps/v1
      kind: DaemonSet
      metadata: { name: everywhere }
      spec:
        selector: { matchLabels: { app: everywhere } }
        template:
          metadata: { labels: { app: everywhere } }
          spec:
            tolerations: [{ operator: Exists }]
            containers: [{ name: agent, image: "agent:1" }]
`;

function start(): { run: ScenarioRun; obs: MemoryObserver } {
  const obs = new MemoryObserver();
  return { run: new ScenarioRun(loadScenarioText(SCENARIO, 'ds.yaml').scenario, obs), obs };
}

function until(run: ScenarioRun, t: number): void {
  while (run.now < t && !run.done) run.advance();
}

/** Active pods of a DaemonSet by the node they are bound to. */
function podsByNode(run: ScenarioRun, ds: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of run.apiServer.list('Pod')) {
    if (!isPodActive(p) || p.metadata.ownerReferences?.[0]?.name !== ds) continue;
    const n = p.spec.nodeName ?? '(unbound)';
    out.set(n, [...(out.get(n) ?? []), p.metadata.name]);
  }
  return out;
}

const nodesOf = (m: Map<string, string[]>) => [...m.keys()].sort();
const onePerNode = (m: Map<string, string[]>) => [...m.values()].every((names) => names.length === 1);

test('exactly one daemon pod per eligible node: selector, taints without toleration, cordoned nodes', () => {
  const { run } = start();
  until(run, 30);
  const agent = podsByNode(run, 'agent');
  assert.deepEqual(nodesOf(agent), ['w1', 'w2', 'w4'], 'not on the tainted cp and w3; on the cordoned w4');
  assert.ok(onePerNode(agent));
  assert.deepEqual(nodesOf(podsByNode(run, 'ssd-agent')), ['w2']);
  assert.deepEqual(nodesOf(podsByNode(run, 'everywhere')), ['cp', 'w1', 'w2', 'w3', 'w4']);
  const pods = run.apiServer.list('Pod').filter((p) => p.metadata.ownerReferences?.[0]?.name === 'agent');
  for (const p of pods) {
    assert.match(p.metadata.name, /^agent-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(p.metadata.ownerReferences?.map((r) => [r.kind, r.controller]), [['DaemonSet', true]]);
    // Pinned by node affinity on metadata.name, and placed by the scheduler there.
    const terms = (p.spec.affinity as { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: unknown[] } } }).nodeAffinity
      .requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
    assert.deepEqual(terms, [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [p.spec.nodeName] }] }]);
    assert.equal(isPodReady(p), true);
  }
  const status = run.apiServer.get('DaemonSet', 'default', 'agent')!.status!;
  assert.deepEqual([status.desiredNumberScheduled, status.currentNumberScheduled, status.numberReady, status.numberMisscheduled], [3, 3, 3, 0]);
});

test('nodes that become eligible or appear later get a daemon pod; an untolerated NoExecute taint removes it', () => {
  const { run } = start();
  until(run, 30);
  const api = run.apiServer;
  // w3 loses its taint, w5 joins the cluster, w1 gets a NoExecute taint.
  api.update('Node', undefined, 'w3', (n) => {
    n.spec.taints = [];
  });
  api.create(node('w5', { labels: { disk: 'ssd' } }));
  api.update('Node', undefined, 'w1', (n) => {
    n.spec.taints = [{ key: 'maintenance', effect: 'NoExecute' }];
  });
  until(run, 90);
  const agent = podsByNode(run, 'agent');
  assert.deepEqual(nodesOf(agent), ['w2', 'w3', 'w4', 'w5']);
  assert.ok(onePerNode(agent));
  assert.deepEqual(nodesOf(podsByNode(run, 'ssd-agent')), ['w2', 'w5']);
  assert.deepEqual(nodesOf(podsByNode(run, 'everywhere')), ['cp', 'w1', 'w2', 'w3', 'w4', 'w5'], 'tolerates everything, stays on w1');
  const status = api.get('DaemonSet', 'default', 'agent')!.status!;
  assert.deepEqual([status.desiredNumberScheduled, status.currentNumberScheduled], [4, 4]);
});

test('RollingUpdate replaces every pod, never leaving more than one node without an available pod', () => {
  const { run } = start();
  until(run, 30);
  const api = run.apiServer;
  const desired = api.get('DaemonSet', 'default', 'everywhere')!.status!.desiredNumberScheduled!;
  let fewestAvailable = Infinity;
  const count = () => {
    const nodes = new Set<string>();
    for (const p of api.list('Pod')) {
      if (p.metadata.ownerReferences?.[0]?.name === 'everywhere' && isPodActive(p) && isPodReady(p) && p.spec.nodeName) nodes.add(p.spec.nodeName);
    }
    fewestAvailable = Math.min(fewestAvailable, nodes.size);
  };
  api.watch('Pod', count);
  api.update('DaemonSet', 'default', 'everywhere', (ds) => {
    ds.spec.template.spec.containers[0]!.image = 'agent:2';
  });
  until(run, 120);
  run.finish();
  const images = api.list('Pod').filter((p: Pod) => p.metadata.ownerReferences?.[0]?.name === 'everywhere' && isPodActive(p)).map((p) => p.spec.containers[0]!.image);
  assert.deepEqual(images, Array(desired).fill('agent:2'));
  assert.equal(fewestAvailable, desired - 1, 'maxUnavailable 1 (the apps/v1 default)');
  const status = api.get('DaemonSet', 'default', 'everywhere')!.status!;
  assert.equal(status.updatedNumberScheduled, desired);
});
