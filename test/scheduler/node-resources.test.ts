/**
 * NodeResourcesFit scoring strategies and NodeResourcesBalancedAllocation, transcribed from
 * upstream's tables (pkg/scheduler/framework/plugins/noderesources/*_test.go). Quantities as
 * upstream writes them: "4000" cpu is 4000 cores, "10000" memory is 10000 bytes.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { nodeResourcesFit } from '../../engine/scheduler/plugins/node-resources-fit.js';
import { nodeResourcesBalancedAllocation } from '../../engine/scheduler/plugins/node-resources-balanced-allocation.js';
import { brokenLinearFunction } from '../../engine/scheduler/plugins/requested-to-capacity-ratio.js';
import { makeNode, makePod, runFilter, runScore } from './helpers.js';

const least = () => nodeResourcesFit();
const most = () => nodeResourcesFit({ scoringStrategy: { type: 'MostAllocated' } });
const req = (cpu: string, memory: string) => ({ cpu, memory });

// least_allocated_test.go TestLeastAllocatedScoringStrategy
test('least_allocated_test.go: "nothing scheduled, resources requested, differently sized nodes" -> 37, 50', () => {
  const nodes = [makeNode('node1', req('4000', '10000')), makeNode('node2', req('6000', '10000'))];
  assert.deepEqual(runScore(least(), makePod([req('1000', '2000'), req('2000', '3000')]), nodes), [37, 50]);
});

test('least_allocated_test.go: "no resources requested, pods scheduled with resources" -> 70, 57 (non-zero defaults are tiny against 10000 cores)', () => {
  const nodes = [makeNode('node1', req('10000', '20000')), makeNode('node2', req('10000', '20000'))];
  const existing = [
    makePod([req('3000', '0')], { nodeName: 'node1' }),
    makePod([req('3000', '0')], { nodeName: 'node1' }),
    makePod([req('3000', '0')], { nodeName: 'node2' }),
    makePod([req('3000', '5000')], { nodeName: 'node2' }),
  ];
  // Upstream's incoming pod has no containers at all (st.MakePod().Obj()), so no non-zero defaults apply;
  // kubesim pods need a container, and explicit zero requests are the same (only absent requests get defaults).
  assert.deepEqual(runScore(least(), makePod([{ cpu: '0', memory: '0' }]), nodes, existing), [70, 57]);
});

test('least_allocated_test.go: "resources requested, pods scheduled with resources" -> 57, 45 and differently sized -> 57, 60', () => {
  const pod = makePod([req('1000', '2000'), req('2000', '3000')]);
  const existing = [makePod([req('3000', '0')], { nodeName: 'node1' }), makePod([req('3000', '5000')], { nodeName: 'node2' })];
  assert.deepEqual(runScore(least(), pod, [makeNode('node1', req('10000', '20000')), makeNode('node2', req('10000', '20000'))], existing), [57, 45]);
  assert.deepEqual(runScore(least(), pod, [makeNode('node1', req('10000', '20000')), makeNode('node2', req('10000', '50000'))], existing), [57, 60]);
});

test('least_allocated_test.go: "requested resources exceed node capacity" -> 50, 25', () => {
  const existing = [makePod([req('3000', '0')], { nodeName: 'node1' }), makePod([req('3000', '5000')], { nodeName: 'node2' })];
  const nodes = [makeNode('node1', req('4000', '10000')), makeNode('node2', req('4000', '10000'))];
  assert.deepEqual(runScore(least(), makePod([req('3000', '0')]), nodes, existing), [50, 25]);
});

test('least_allocated_test.go: weights memory 2, cpu 1 -> 41, 50', () => {
  const plugin = nodeResourcesFit({ scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'memory', weight: 2 }, { name: 'cpu', weight: 1 }] } });
  const nodes = [makeNode('node1', req('4000', '10000')), makeNode('node2', req('6000', '10000'))];
  assert.deepEqual(runScore(plugin, makePod([req('1000', '2000'), req('2000', '3000')]), nodes), [41, 50]);
});

test('least_allocated_test.go: extended resource honoured only when requested -> 50, 60 and 50, 50', () => {
  const resources = [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }, { name: 'intel.com/foo', weight: 1 }];
  const plugin = nodeResourcesFit({ scoringStrategy: { type: 'LeastAllocated', resources } });
  const nodes = [makeNode('node1', { ...req('6000', '10000'), 'intel.com/foo': '4' }), makeNode('node2', { ...req('6000', '10000'), 'intel.com/foo': '10' })];
  assert.deepEqual(runScore(plugin, makePod([{ ...req('3000', '5000'), 'intel.com/foo': '2' }]), nodes), [50, 60]);
  assert.deepEqual(runScore(plugin, makePod([req('1000', '2000'), req('2000', '3000')]), nodes), [50, 50]);
});

// most_allocated_test.go TestMostAllocatedScoringStrategy (values recomputed by hand with its formula).
test('most_allocated_test.go: "nothing scheduled, resources requested, differently sized nodes" -> 62, 50', () => {
  // node1: cpu 3000*100/4000 = 75, mem 5000*100/10000 = 50 -> 62; node2: 50, 50 -> 50.
  const nodes = [makeNode('node1', req('4000', '10000')), makeNode('node2', req('6000', '10000'))];
  assert.deepEqual(runScore(most(), makePod([req('1000', '2000'), req('2000', '3000')]), nodes), [62, 50]);
});

test('most_allocated_test.go: "resources requested with more than the node, pods scheduled with resources" caps at 100', () => {
  // node1: cpu min(6000,4000)/4000 = 100, mem 0 -> 50 (requested memory explicitly 0).
  const nodes = [makeNode('node1', req('4000', '10000'))];
  const existing = [makePod([req('3000', '0')], { nodeName: 'node1' })];
  assert.deepEqual(runScore(most(), makePod([req('3000', '0')]), nodes, existing), [50]);
});

// balanced_allocation_test.go: score = int((1 - |f_cpu - f_mem| / 2) * 100), requests as written.
test('balanced_allocation_test.go: "nothing scheduled, resources requested, differently sized nodes" -> 87, 100', () => {
  // node1: cpu 3000/4000 = 0.75, mem 5000/10000 = 0.5 -> 1 - 0.125 = 0.875 -> 87; node2: 0.5, 0.5 -> 100.
  const nodes = [makeNode('node1', req('4000', '10000')), makeNode('node2', req('6000', '10000'))];
  assert.deepEqual(runScore(nodeResourcesBalancedAllocation(), makePod([req('1000', '2000'), req('2000', '3000')]), nodes), [87, 100]);
});

test('balanced_allocation_test.go: a best-effort pod is skipped at PreScore (kubernetes#129138)', () => {
  assert.equal(runScore(nodeResourcesBalancedAllocation(), makePod(), [makeNode('node1', req('4000', '10000'))]), null);
});

test('balanced_allocation_test.go: fractions cap at 1 ("requested resources at node capacity")', () => {
  // cpu (3000+3000)/4000 -> 1, mem 5000/10000 = 0.5 -> 1 - 0.25 = 75.
  const existing = [makePod([req('3000', '0')], { nodeName: 'node1' })];
  assert.deepEqual(runScore(nodeResourcesBalancedAllocation(), makePod([req('3000', '5000')]), [makeNode('node1', req('4000', '10000'))], existing), [75]);
});

// requested_to_capacity_ratio_test.go / helper/shape_score_test.go TestBrokenLinearFunction
test('shape_score_test.go TestBrokenLinearFunction: points {10,1},{90,9}', () => {
  const f = brokenLinearFunction([{ utilization: 10, score: 1 }, { utilization: 90, score: 9 }]);
  const cases: [number, number][] = [[-10, 1], [0, 1], [9, 1], [10, 1], [15, 1], [19, 1], [20, 2], [89, 8], [90, 9], [99, 9], [100, 9], [110, 9]];
  for (const [p, want] of cases) assert.equal(f(p), want, `p=${p}`);
});

test('shape_score_test.go TestBrokenLinearFunction: points {0,2},{40,10},{100,0} (negative slope truncates toward zero)', () => {
  const f = brokenLinearFunction([{ utilization: 0, score: 2 }, { utilization: 40, score: 10 }, { utilization: 100, score: 0 }]);
  const cases: [number, number][] = [[-10, 2], [0, 2], [20, 6], [30, 8], [40, 10], [70, 5], [100, 0], [110, 0]];
  for (const [p, want] of cases) assert.equal(f(p), want, `p=${p}`);
});

test('requested_to_capacity_ratio_test.go "nothing scheduled, nothing requested (default - least requested nodes have priority)": shape {0,10},{100,0}', () => {
  // Pod requests nothing explicit -> non-zero defaults 100m / 200Mi on nodes of 4 CPU / 10 GB:
  // cpu 100*100/4000 = 2 -> score 10*10 + (0-100)*2/100 = 98; memory 209715200*100/10000000000 = 2 -> 98; mean 98.
  const plugin = nodeResourcesFit({ scoringStrategy: { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape: [{ utilization: 0, score: 10 }, { utilization: 100, score: 0 }] } } });
  const nodes = [makeNode('node1', { cpu: '4', memory: '10G' }), makeNode('node2', { cpu: '4', memory: '10G' })];
  assert.deepEqual(runScore(plugin, makePod(), nodes), [98, 98]);
});

test('fit_test.go: the filter reports every shortfall, explicit zero requests count zero', () => {
  const nodes = [makeNode('node1', req('10', '20'))];
  const existing = [makePod([req('8', '19')], { nodeName: 'node1' })];
  assert.deepEqual(runFilter(least(), makePod([req('3', '2')]), nodes, existing), [{ code: 'Unschedulable', message: 'Insufficient cpu, Insufficient memory' }]);
  assert.deepEqual(runFilter(least(), makePod([{ cpu: '0', memory: '0' }]), nodes, existing), [null]);
  // A request above the whole allocatable is still Unschedulable in 1.32 (kubernetes#131345
  // made it UnschedulableAndUnresolvable in 1.34).
  assert.deepEqual(runFilter(least(), makePod([req('11', '1')]), nodes), [{ code: 'Unschedulable', message: 'Insufficient cpu' }]);
});

/**
 * fit_test.go TestEnoughRequests (1.32): the node's allocatable is makeAllocatableResources(10,
 * 20, 32, 5, 20, 5) (10m cpu, 20 bytes, 32 pods, 5 example.com/aaa); the existing pod's
 * requests fill it as the case says. Every failure is Unschedulable, even a request above the
 * node's whole allocatable ("capacity enforced") or of a resource the node does not have.
 */
test('fit_test.go TestEnoughRequests: the codes of "too many resources fails", "extended resource capacity enforced", "... for unknown resource"', () => {
  const node = makeNode('node1', { cpu: '10m', memory: '20', pods: '32', 'example.com/aaa': '5' });
  const fit = (pod: ReturnType<typeof makePod>, existing: Record<string, string>) => runFilter(least(), pod, [node], [makePod([existing], { nodeName: 'node1' })])[0];
  assert.deepEqual(fit(makePod([{ cpu: '1m', memory: '1' }]), { cpu: '10m', memory: '20' }), { code: 'Unschedulable', message: 'Insufficient cpu, Insufficient memory' });
  assert.deepEqual(fit(makePod([{ cpu: '1m', memory: '1', 'example.com/aaa': '10' }]), { cpu: '0', memory: '0', 'example.com/aaa': '0' }), {
    code: 'Unschedulable',
    message: 'Insufficient example.com/aaa',
  });
  assert.deepEqual(fit(makePod([{ cpu: '1m', memory: '1', 'example.com/aaa': '1' }]), { cpu: '0', memory: '0', 'example.com/aaa': '5' }), {
    code: 'Unschedulable',
    message: 'Insufficient example.com/aaa',
  });
  assert.deepEqual(fit(makePod([{ cpu: '1m', memory: '1', 'example.com/bbb': '1' }]), { cpu: '0', memory: '0' }), { code: 'Unschedulable', message: 'Insufficient example.com/bbb' });
  assert.equal(fit(makePod([{ cpu: '5m', memory: '1' }]), { cpu: '5m', memory: '19' }), null, 'equal edge case');
});

/**
 * The worked example of the kubernetes.io "Resource Bin Packing" page (RequestedToCapacityRatio
 * with shape {0,0},{100,10} and weights intel.com/foo 5, memory 1, cpu 3), at today's scale
 * (MaxNodeScore 100: the shape's scores are multiplied by 10, utilization is an integer
 * percentage, the weighted mean is rounded as math.Round):
 *  node1 (foo 4, 1Gi, 8 CPU; used foo 1, 256Mi, 1 CPU): foo 3/4 -> 75, memory 512/1024 -> 50,
 *        cpu 3/8 -> 37; (75*5 + 50*1 + 37*3) / 9 = 59.6 -> 60   (the page's scale: 5)
 *  node2 (foo 8, 1Gi, 8 CPU; used foo 2, 512Mi, 6 CPU): foo 4/8 -> 50, memory 768/1024 -> 75,
 *        cpu 8/8 -> 100; (50*5 + 75*1 + 100*3) / 9 = 69.4 -> 69 (the page's scale: 7)
 */
test('kubernetes.io Resource Bin Packing example: node2, the fuller one, scores higher', () => {
  const plugin = nodeResourcesFit({
    scoringStrategy: {
      type: 'RequestedToCapacityRatio',
      resources: [{ name: 'intel.com/foo', weight: 5 }, { name: 'memory', weight: 1 }, { name: 'cpu', weight: 3 }],
      requestedToCapacityRatio: { shape: [{ utilization: 0, score: 0 }, { utilization: 100, score: 10 }] },
    },
  });
  const nodes = [
    makeNode('node1', { 'intel.com/foo': '4', memory: '1Gi', cpu: '8' }),
    makeNode('node2', { 'intel.com/foo': '8', memory: '1Gi', cpu: '8' }),
  ];
  const existing = [
    makePod([{ 'intel.com/foo': '1', memory: '256Mi', cpu: '1' }], { name: 'used1', nodeName: 'node1' }),
    makePod([{ 'intel.com/foo': '2', memory: '512Mi', cpu: '6' }], { name: 'used2', nodeName: 'node2' }),
  ];
  const pod = makePod([{ 'intel.com/foo': '2', memory: '256Mi', cpu: '2' }]);
  assert.deepEqual(runScore(plugin, pod, nodes, existing), [60, 69]);
});
