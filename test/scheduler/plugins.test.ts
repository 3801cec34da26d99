/**
 * TaintToleration, ImageLocality, NodeAffinity, PodTopologySpread and InterPodAffinity, each
 * case transcribed from (or hand-computed with the formula of) the upstream test named.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { taintToleration } from '../../engine/scheduler/plugins/taint-toleration.js';
import { imageLocality } from '../../engine/scheduler/plugins/image-locality.js';
import { nodeAffinity } from '../../engine/scheduler/plugins/node-affinity.js';
import { podTopologySpread } from '../../engine/scheduler/plugins/pod-topology-spread.js';
import { interPodAffinity } from '../../engine/scheduler/plugins/inter-pod-affinity.js';
import { makeNode, makePod, runFilter, runScore } from './helpers.js';

const MB = 1024 * 1024;

// taint_toleration_test.go TestTaintTolerationScore
test('taint_toleration_test.go "node with taints tolerated by the pod, gets a higher score than those node with intolerable taints"', () => {
  const pod = makePod([], { tolerations: [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }] });
  const nodes = [
    makeNode('nodeA', {}, { taints: [{ key: 'foo', value: 'bar', effect: 'PreferNoSchedule' }] }),
    makeNode('nodeB', {}, { taints: [{ key: 'foo', value: 'blah', effect: 'PreferNoSchedule' }] }),
  ];
  assert.deepEqual(runScore(taintToleration(), pod, nodes), [100, 0]);
});

test('taint_toleration_test.go "the more intolerable taints a node has, the lower score it gets"', () => {
  const pod = makePod([], { tolerations: [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }] });
  const nodes = [
    makeNode('nodeA', {}),
    makeNode('nodeB', {}, { taints: [{ key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' }] }),
    makeNode('nodeC', {}, { taints: [{ key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' }, { key: 'disk-type', value: 'ssd', effect: 'PreferNoSchedule' }] }),
  ];
  assert.deepEqual(runScore(taintToleration(), pod, nodes), [100, 50, 0]);
});

test('taint_toleration_test.go "only taints and tolerations that have effect PreferNoSchedule are checked by prioritizer function"', () => {
  const pod = makePod([], { tolerations: [{ key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'NoSchedule' }] });
  const nodes = [
    makeNode('nodeA', {}, { taints: [{ key: 'cpu-type', value: 'arm64', effect: 'NoSchedule' }] }),
    makeNode('nodeB', {}, { taints: [{ key: 'cpu-type', value: 'arm64', effect: 'PreferNoSchedule' }] }),
  ];
  assert.deepEqual(runScore(taintToleration(), pod, nodes), [100, 0]);
});

test('taint_toleration_test.go TestTaintTolerationFilter "A pod having no tolerations can\'t be scheduled onto a node with nonempty taints"', () => {
  const nodes = [makeNode('nodeA', {}, { taints: [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }] })];
  assert.deepEqual(runFilter(taintToleration(), makePod(), nodes), [{ code: 'UnschedulableAndUnresolvable', message: 'node(s) had untolerated taint {dedicated: user1}' }]);
  const tolerating = makePod([], { tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }] });
  assert.deepEqual(runFilter(taintToleration(), tolerating, nodes), [null]);
});

// image_locality_test.go TestImageLocalityPriority "two images spread on two nodes, prefer the larger image one"
test('image_locality_test.go "two images spread on two nodes, prefer the larger image one" -> 0, 5', () => {
  // node1: gcr.io/40 (40 MB) on 1 of 2 nodes -> 20 MB < 23 MB threshold -> 0.
  // node2: gcr.io/250 (250 MB) on 1 of 2 nodes -> 125 MB -> 100 * (125 - 23) / (2000 - 23) = 5 (two containers).
  const nodes = [
    makeNode('node1', {}, { images: [{ names: ['gcr.io/40:latest', 'gcr.io/40:v1'], sizeBytes: 40 * MB }, { names: ['gcr.io/300:latest'], sizeBytes: 300 * MB }] }),
    makeNode('node2', {}, { images: [{ names: ['gcr.io/250:latest'], sizeBytes: 250 * MB }, { names: ['gcr.io/10:latest'], sizeBytes: 10 * MB }] }),
  ];
  const pod = makePod();
  pod.spec.containers = [{ name: 'a', image: 'gcr.io/40' }, { name: 'b', image: 'gcr.io/250' }];
  assert.deepEqual(runScore(imageLocality(), pod, nodes), [0, 5]);
});

test('image_locality_test.go "if exceed limit, use limit" -> node1 100 (1000 MB x3 containers capped), node2 0', () => {
  // node1: 2000 MB + 3000 MB + 2000 MB, each on 1 of 2 nodes -> 1000 + 1500 + 1000 = 3500 MB > 3000 MB cap -> 100.
  const nodes = [
    makeNode('node1', {}, { images: [{ names: ['gcr.io/2000:latest'], sizeBytes: 2000 * MB }, { names: ['gcr.io/3000:latest'], sizeBytes: 3000 * MB }, { names: ['gcr.io/2001:latest'], sizeBytes: 2000 * MB }] }),
    makeNode('node2', {}, { images: [{ names: ['gcr.io/10:latest'], sizeBytes: 10 * MB }] }),
  ];
  const pod = makePod();
  pod.spec.containers = [{ name: 'a', image: 'gcr.io/2000' }, { name: 'b', image: 'gcr.io/3000' }, { name: 'c', image: 'gcr.io/2001' }];
  assert.deepEqual(runScore(imageLocality(), pod, nodes), [100, 0]);
});

// node_affinity_test.go TestNodeAffinityPriority "only machine1 matches the preferred scheduling requirements of pod"
test('node_affinity_test.go preferred terms: weights summed and normalized by the highest', () => {
  const pref = (weight: number, key: string, value: string) => ({ weight, preference: { matchExpressions: [{ key, operator: 'In' as const, values: [value] }] } });
  const pod = makePod([], { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [pref(2, 'foo', 'bar'), pref(4, 'key', 'value'), pref(5, 'az', 'az1')] } } });
  const nodes = [makeNode('machine1', {}, { labels: { foo: 'bar' } }), makeNode('machine2', {}, { labels: { key: 'value' } }), makeNode('machine5', {}, { labels: { foo: 'bar', key: 'value', az: 'az1' } })];
  // Raw 2, 4, 11 -> 100 * s / 11 = 18, 36, 100.
  assert.deepEqual(runScore(nodeAffinity(), pod, nodes), [18, 36, 100]);
  assert.equal(runScore(nodeAffinity(), makePod(), nodes), null, 'no preferred terms: PreScore Skip');
});

// podtopologyspread filtering_test.go "normal case with one spreadConstraint" (zone, maxSkew 1)
test('podtopologyspread filtering_test.go "normal case with one spreadConstraint": only zone2 nodes fit', () => {
  const labels = { foo: '' };
  const pod = makePod([], { name: 'p', labels, topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchExpressions: [{ key: 'foo', operator: 'Exists' }] } }] });
  const nodes = [makeNode('node-a', {}, { labels: { zone: 'zone1' } }), makeNode('node-b', {}, { labels: { zone: 'zone1' } }), makeNode('node-x', {}, { labels: { zone: 'zone2' } }), makeNode('node-y', {}, { labels: { zone: 'zone2' } })];
  const existing = [
    makePod([], { name: 'p-a1', nodeName: 'node-a', labels }),
    makePod([], { name: 'p-a2', nodeName: 'node-a', labels }),
    makePod([], { name: 'p-b1', nodeName: 'node-b', labels }),
    makePod([], { name: 'p-y1', nodeName: 'node-y', labels }),
    makePod([], { name: 'p-y2', nodeName: 'node-y', labels }),
  ];
  // zone1 holds 3, zone2 holds 2: 3 + 1 - 2 = 2 > 1 fails zone1; 2 + 1 - 2 = 1 fits zone2.
  const fail = { code: 'Unschedulable', message: "node(s) didn't match pod topology spread constraints" };
  assert.deepEqual(runFilter(podTopologySpread(), pod, nodes, existing), [fail, fail, null, null]);
});

// podtopologyspread scoring_test.go "one constraint on node, no existing pods" and a hand-computed skewed case
test('podtopologyspread scoring_test.go: hostname spreading favours the emptier node', () => {
  const labels = { foo: '' };
  const c = { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' as const, labelSelector: { matchLabels: { foo: '' } } };
  const pod = makePod([], { labels, topologySpreadConstraints: [c] });
  const nodes = [makeNode('node-a'), makeNode('node-b')];
  assert.deepEqual(runScore(podTopologySpread(), pod, nodes), [100, 100], 'no existing pods');
  // node-a holds 2, node-b none: raw = round(2 * ln(4)) = 3 and 0; normalized 100 * (3 + 0 - s) / 3 = 0 and 100.
  const existing = [makePod([], { nodeName: 'node-a', labels }), makePod([], { nodeName: 'node-a', labels })];
  assert.deepEqual(runScore(podTopologySpread(), pod, nodes, existing), [0, 100]);
});

// interpodaffinity filtering_test.go "satisfies with requiredDuringSchedulingIgnoredDuringExecution in PodAntiAffinity symmetry"
test('interpodaffinity filtering_test.go: required anti-affinity in the incoming pod and in existing pods', () => {
  const nodes = [makeNode('node1', {}, { labels: { region: 'r1' } }), makeNode('node2', {}, { labels: { region: 'r2' } })];
  const existing = [makePod([], { nodeName: 'node1', labels: { service: 'securityscan' } })];
  const anti = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { service: 'securityscan' } }, topologyKey: 'region' }] } };
  const pod = makePod([], { affinity: anti });
  assert.deepEqual(runFilter(interPodAffinity(), pod, nodes, existing), [{ code: 'Unschedulable', message: "node(s) didn't match pod anti-affinity rules" }, null]);
  // Symmetry: an existing pod's anti-affinity keeps a matching newcomer out of its region.
  const guard = [makePod([], { nodeName: 'node1', labels: { app: 'x' }, affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'region' }] } } })];
  assert.deepEqual(runFilter(interPodAffinity(), makePod([], { labels: { app: 'web' } }), nodes, guard), [{ code: 'Unschedulable', message: "node(s) didn't satisfy existing pods anti-affinity rules" }, null]);
});

test('interpodaffinity filtering_test.go: the first pod of a self-affine group may go anywhere with the topology key', () => {
  const nodes = [makeNode('node1', {}, { labels: { zone: 'z1' } }), makeNode('node2')];
  const pod = makePod([], { labels: { app: 'db' }, affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'zone' }] } } });
  assert.deepEqual(runFilter(interPodAffinity(), pod, nodes), [null, { code: 'UnschedulableAndUnresolvable', message: "node(s) didn't match pod affinity rules" }]);
});

test('interpodaffinity scoring_test.go: preferred affinity to a zone with a matching pod scores 100, the other 0', () => {
  const nodes = [makeNode('node1', {}, { labels: { zone: 'z1' } }), makeNode('node2', {}, { labels: { zone: 'z2' } })];
  const existing = [makePod([], { nodeName: 'node1', labels: { security: 'S1' } })];
  const pod = makePod([], { affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, podAffinityTerm: { labelSelector: { matchLabels: { security: 'S1' } }, topologyKey: 'zone' } }] } } });
  assert.deepEqual(runScore(interPodAffinity(), pod, nodes, existing), [100, 0]);
  assert.equal(runScore(interPodAffinity(), makePod(), nodes, existing), null, 'nothing to score: PreScore Skip');
});

test('node_affinity_test.go TestNodeAffinity: the profile\'s addedAffinity fails first with its own reason, then the pod\'s (both UnschedulableAndUnresolvable)', () => {
  const zone = (v: string) => ({ nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In' as const, values: [v] }] }] });
  const node2 = [makeNode('node2', {}, { labels: { zone: 'foo' } })];
  const byName = { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In' as const, values: ['node2'] }] }] } };
  const podWantsBar = makePod([], { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: zone('bar') } } });
  assert.deepEqual(runFilter(nodeAffinity({ addedAffinity: byName }), podWantsBar, node2), [
    { code: 'UnschedulableAndUnresolvable', message: "node(s) didn't match Pod's node affinity/selector" },
  ], "Matches added affinity but not Pod's node affinity");
  assert.deepEqual(runFilter(nodeAffinity({ addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: zone('bar') } }), makePod(), node2), [
    { code: 'UnschedulableAndUnresolvable', message: "node(s) didn't match scheduler-enforced node affinity" },
  ], "Doesn't match added affinity");
});
