/**
 * PreFilterResult node narrowing (Kubernetes 1.32):
 *  - NodeAffinity.PreFilter (plugins/nodeaffinity/node_affinity.go): required terms naming
 *    nodes by matchFields metadata.name give PreFilterResult.NodeNames; cases transcribed from
 *    node_affinity_test.go TestNodeAffinity (the runPreFilter cases with wantPreFilterResult);
 *  - RunPreFilterPlugins (framework/runtime/framework.go): the sets intersect, an empty
 *    intersection rejects the pod on every node; findNodesThatFitPod (schedule_one.go): only
 *    the named nodes are filtered, the others read "node(s) didn't satisfy plugin(s) [X]" in
 *    the FitError; cases transcribed from schedule_one_test.go TestSchedulerSchedulePod ("test
 *    prefilter plugin returning non-intersecting nodes", "... returning empty node set", "test
 *    some nodes are filtered out by prefilter plugin and other are filtered out by filter
 *    plugin", "test prefilter plugin returned an invalid node");
 *  - the round-robin start index moves by the nodes processed, modulo all nodes;
 *  - end to end, hand-computed: a DaemonSet pod that does not fit its node.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../engine/api/types.js';
import { createStream } from '../../engine/core/rng.js';
import { buildProfiles, DEFAULT_SCHEDULER_CONFIG, type SchedulerConfig } from '../../engine/scheduler/config.js';
import { explainSchedule } from '../../engine/scheduler/explain.js';
import { Framework } from '../../engine/scheduler/framework.js';
import { PodInfo } from '../../engine/scheduler/node-info.js';
import { nodeAffinity } from '../../engine/scheduler/plugins/node-affinity.js';
import type { NodeSelectorTerm } from '../../engine/scheduler/pod-spec.js';
import { IN_TREE_REGISTRY, withPlugins } from '../../engine/scheduler/registry.js';
import { CycleState, Status, type Plugin } from '../../engine/scheduler/types.js';
import { cluster } from './cluster.js';
import { makeNode, makePod, snapshotOf } from './helpers.js';

const byName = (...values: string[]) => ({ key: 'metadata.name', operator: 'In' as const, values });
const fooIn = (...values: string[]) => ({ key: 'foo', operator: 'In' as const, values });
const withTerms = (terms: NodeSelectorTerm[]): Pod =>
  makePod([], { name: 'p', affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } } as never);

/** NodeAffinity's PreFilter and then Filter on `nodeName` labelled foo=bar: [prefilter status, node names, filter status]. */
function nodeAffinityCase(pod: Pod, nodeName: string, args = {}): [string | null, string[] | undefined, string | null] {
  const plugin = nodeAffinity(args);
  const node = makeNode(nodeName, {}, { labels: { foo: 'bar', zone: 'foo' } });
  const snap = snapshotOf([node]);
  const state = new CycleState(snap);
  const info = new PodInfo(pod);
  const pre = plugin.preFilter!(state, info);
  const names = state.preFilterNodeNames ? [...state.preFilterNodeNames].sort() : undefined;
  const f = plugin.filter!(state, info, snap.nodes[0]!);
  const text = (s: Status | null) => (s ? `${s.code}: ${s.message}` : null);
  return [text(pre), names, text(f)];
}

test('NodeAffinity PreFilter: the nodes named by matchFields metadata.name (node_affinity_test.go TestNodeAffinity)', () => {
  const podErr = "UnschedulableAndUnresolvable: node(s) didn't match Pod's node affinity/selector";
  // "Pod with matchFields using In operator that matches the existing node"
  assert.deepEqual(nodeAffinityCase(withTerms([{ matchFields: [byName('node1')] }]), 'node1'), [null, ['node1'], null]);
  // "... that does not match the existing node"
  assert.deepEqual(nodeAffinityCase(withTerms([{ matchFields: [byName('node1')] }]), 'node2'), [null, ['node1'], podErr]);
  // "Pod with two terms: matchFields does not match, but matchExpressions matches": all nodes.
  assert.deepEqual(nodeAffinityCase(withTerms([{ matchFields: [byName('node1')] }, { matchExpressions: [fooIn('bar')] }]), 'node2'), [null, undefined, null]);
  // "Pod with one term: matchFields does not match, but matchExpressions matches"
  assert.deepEqual(nodeAffinityCase(withTerms([{ matchFields: [byName('node1')], matchExpressions: [fooIn('bar')] }]), 'node2'), [null, ['node1'], podErr]);
  // "Pod with one term: both matchFields and matchExpressions match"
  assert.deepEqual(nodeAffinityCase(withTerms([{ matchFields: [byName('node1')], matchExpressions: [fooIn('bar')] }]), 'node1'), [null, ['node1'], null]);
  // "Pod with two terms: both matchFields and matchExpressions do not match"
  assert.deepEqual(nodeAffinityCase(withTerms([{ matchFields: [byName('node1')] }, { matchExpressions: [fooIn('not-match-to-bar')] }]), 'node2'), [null, undefined, podErr]);
  // "Pod with two terms of node.Name affinity": the union.
  assert.deepEqual(nodeAffinityCase(withTerms([{ matchFields: [byName('node1')] }, { matchFields: [byName('node2')] }]), 'node2'), [null, ['node1', 'node2'], null]);
  // "Pod with two conflicting mach field requirements": one term, an empty intersection.
  assert.deepEqual(nodeAffinityCase(withTerms([{ matchFields: [byName('node1'), byName('node2')] }]), 'node2'), ['UnschedulableAndUnresolvable: pod affinity terms conflict', undefined, podErr]);
  // "Matches added affinity and Pod's node affinity": the profile's addedAffinity does not narrow.
  const added = { addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [byName('node2')] }] } } };
  assert.deepEqual(nodeAffinityCase(withTerms([{ matchExpressions: [{ key: 'zone', operator: 'In' as const, values: ['foo'] }] }]), 'node2', added), [null, undefined, null]);
});

/** A PreFilter plugin that names `nodes`, or gives no result (st.NewFakePreFilterPlugin). */
const fakePreFilter = (name: string, nodes?: string[]): Plugin => ({
  name,
  preFilter(state) {
    if (nodes) state.preFilterNodeNames = new Set(nodes);
    return null;
  },
});
/** A Filter plugin that rejects `node` (st.NewFakeFilterPlugin with a failed node map). */
const fakeFilter = (name: string, node: string): Plugin => ({
  name,
  filter: (_s, pod, n) => (n.name === node ? new Status('Unschedulable', [`injecting failure for pod ${pod.pod.metadata.name}`]) : null),
});

/** One cycle of a profile of just `plugins` (no defaults) over `nodes`. */
function cycle(plugins: Plugin[], nodes: string[]) {
  const registry = withPlugins(IN_TREE_REGISTRY, Object.fromEntries(plugins.map((p) => [p.name, () => p])));
  const at = (point: 'preFilter' | 'filter') => ({ enabled: plugins.filter((p) => p[point]).map((p) => ({ name: p.name })), disabled: [{ name: '*' }] });
  const config: SchedulerConfig = {
    ...DEFAULT_SCHEDULER_CONFIG,
    profiles: [{ schedulerName: 'default-scheduler', plugins: { preFilter: at('preFilter'), filter: at('filter'), postFilter: { enabled: [], disabled: [{ name: '*' }] } } }],
  };
  const fw = new Framework(buildProfiles(config, registry)[0]!, createStream(1, 'scheduler'), undefined);
  const r = fw.schedulePod(snapshotOf(nodes.map((n) => makeNode(n, { cpu: '1' }))), new PodInfo(makePod([], { name: 'test-prefilter' })));
  return { node: r.node?.name, message: r.message, plugins: [...r.unschedulablePlugins].sort(), statuses: Object.fromEntries([...r.statuses].map(([n, s]) => [n, `${s.code}: ${s.message}`])) };
}

test('RunPreFilterPlugins merges NodeNames by intersection; an empty one rejects every node (schedule_one_test.go)', () => {
  // "test prefilter plugin returning non-intersecting nodes"
  const disjoint = cycle([fakePreFilter('FakePreFilter1'), fakePreFilter('FakePreFilter2', ['node2']), fakePreFilter('FakePreFilter3', ['node1'])], ['node1', 'node2', 'node3']);
  const simultaneously = "UnschedulableAndUnresolvable: node(s) didn't satisfy plugin(s) [FakePreFilter2 FakePreFilter3] simultaneously";
  assert.deepEqual(disjoint.statuses, { node1: simultaneously, node2: simultaneously, node3: simultaneously });
  assert.equal(disjoint.message, "0/3 nodes are available: node(s) didn't satisfy plugin(s) [FakePreFilter2 FakePreFilter3] simultaneously.");
  assert.deepEqual(disjoint.plugins, ['FakePreFilter2', 'FakePreFilter3']);
  // "test prefilter plugin returning empty node set"
  const empty = cycle([fakePreFilter('FakePreFilter1'), fakePreFilter('FakePreFilter2', [])], ['node1']);
  assert.deepEqual(empty.statuses, { node1: "UnschedulableAndUnresolvable: node(s) didn't satisfy plugin FakePreFilter2" });
  assert.deepEqual(empty.plugins, ['FakePreFilter2']);
  // A plugin without a result leaves every node; two results intersect ({node2, node3} and
  // {node3, node1}: node3, the only node filtered, so the only one chosen).
  assert.equal(cycle([fakePreFilter('Plain'), fakePreFilter('Narrow', ['node2', 'node3']), fakePreFilter('Narrower', ['node3', 'node1'])], ['node1', 'node2', 'node3']).node, 'node3');
});

test('findNodesThatFitPod filters only the named nodes; the others count as "didn\'t satisfy plugin(s)" (schedule_one_test.go)', () => {
  // "test some nodes are filtered out by prefilter plugin and other are filtered out by filter plugin"
  const r = cycle([fakePreFilter('FakePreFilter', ['node2']), fakeFilter('FakeFilter', 'node2')], ['node1', 'node2']);
  assert.equal(r.node, undefined);
  assert.deepEqual(r.statuses, {
    node1: "UnschedulableAndUnresolvable: node(s) didn't satisfy plugin(s) [FakePreFilter]",
    node2: 'Unschedulable: injecting failure for pod test-prefilter',
  });
  assert.equal(r.message, "0/2 nodes are available: 1 injecting failure for pod test-prefilter, 1 node(s) didn't satisfy plugin(s) [FakePreFilter].");
  assert.deepEqual(r.plugins, ['FakeFilter', 'FakePreFilter']);
  // "test prefilter plugin returned an invalid node": nothing to filter.
  const invalid = cycle([fakePreFilter('FakePreFilter', ['invalid-node']), fakeFilter('FakeFilter', 'none')], ['node1']);
  assert.equal(invalid.message, "0/1 nodes are available: 1 node(s) didn't satisfy plugin(s) [FakePreFilter].");
  assert.deepEqual(invalid.plugins, ['FakePreFilter']);
  // The one node named that fits is chosen (the other filter would pass everywhere).
  assert.equal(cycle([fakePreFilter('FakePreFilter', ['node2']), fakeFilter('FakeFilter', 'node1')], ['node1', 'node2', 'node3']).node, 'node2');
});

test('the round-robin start index moves by the nodes processed, not by all nodes (findNodesThatFitPod)', () => {
  // 200 nodes, percentageOfNodesToScore 50: a plain pod looks for 100 feasible nodes. A pod
  // pinned to n150 is filtered on n150 only: 1 node processed, so the next pod starts at index
  // 1 and evaluates nodes 1..100. (Were every node filtered, the pinned pod would process all
  // 200 looking for 100 feasible ones and the next pod would start at 0.)
  const names = Array.from({ length: 200 }, (_, i) => `n${String(i).padStart(3, '0')}`);
  const pinned = makePod([], { name: 'pinned', affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [byName('n150')] }] } } } } as never);
  const results = explainSchedule({ nodes: names.map((n) => makeNode(n, { cpu: '1' })), pods: [pinned, makePod([], { name: 'next' })] }, { ...DEFAULT_SCHEDULER_CONFIG, percentageOfNodesToScore: 50 });
  assert.equal(results[0]!.selectedNode, 'n150');
  assert.equal(results[0]!.feasibleNodesToFind, 1);
  assert.deepEqual(results[0]!.nodes.filter((n) => n.evaluated).map((n) => n.name), ['n150']);
  assert.equal(results[1]!.feasibleNodesToFind, 100);
  assert.deepEqual(results[1]!.nodes.filter((n) => n.evaluated).map((n) => n.name), names.slice(1, 101));
});

test('a DaemonSet pod that does not fit its node: FailedScheduling as upstream writes it (hand-computed)', () => {
  // The DaemonSet controller pins its pod with matchFields metadata.name In [n2]
  // (daemon/util.ReplaceDaemonSetPodNodeNameNodeAffinity). n2 has 1 CPU, the pod asks for 2:
  // Filter runs on n2 only (Insufficient cpu); n1 and n3 are absent, 2 node(s) didn't satisfy
  // plugin(s) [NodeAffinity]. Preemption tries only Unschedulable nodes (n2: no victims).
  const pod = makePod([{ cpu: '2' }], { name: 'ds-n2', affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [byName('n2')] }] } } } } as never);
  const c = cluster(['n1', 'n2', 'n3'].map((n) => makeNode(n, { cpu: '1' })), [pod]);
  c.sim.run({ until: 1 });
  assert.deepEqual(c.failureMessages('ds-n2'), [
    "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.",
  ]);
});
