/**
 * The cycle: numFeasibleNodesToFind (schedule_one_test.go TestNumFeasibleNodesToFind), the
 * FitError message (framework/types_test.go), profile plugin merging
 * (apis/config/v1/default_plugins_test.go TestMergePlugins), and properties: a bound pod always
 * fits its node's allocatable; ties are broken uniformly over seeds.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fitErrorMessage, numFeasibleNodesToFind } from '../../engine/scheduler/cycle.js';
import { mergePluginSet, buildProfile } from '../../engine/scheduler/profile.js';
import { IN_TREE_REGISTRY } from '../../engine/scheduler/registry.js';
import { explainSchedule } from '../../engine/scheduler/explain.js';
import { Status } from '../../engine/scheduler/types.js';
import { makeNode, makePod } from './helpers.js';

test('schedule_one_test.go TestNumFeasibleNodesToFind', () => {
  assert.equal(numFeasibleNodesToFind(10, undefined), 10, 'not set percentageOfNodesToScore and nodes number not more than 50');
  assert.equal(numFeasibleNodesToFind(10, 40), 10, 'set percentageOfNodesToScore and nodes number not more than 50');
  assert.equal(numFeasibleNodesToFind(1000, undefined), 420, 'not set percentageOfNodesToScore and nodes number more than 50');
  assert.equal(numFeasibleNodesToFind(1000, 40), 400, 'set percentageOfNodesToScore and nodes number more than 50');
  assert.equal(numFeasibleNodesToFind(6000, undefined), 300, 'not set percentageOfNodesToScore and nodes number more than 50*125');
  assert.equal(numFeasibleNodesToFind(6000, 40), 2400, 'set percentageOfNodesToScore and nodes number more than 50*125');
  assert.equal(numFeasibleNodesToFind(150, 1), 100, 'the 100-node floor');
});

test('FitError message: "<count> <reason>" strings sorted as strings', () => {
  const statuses = new Map<string, Status>([
    ['a', new Status('Unschedulable', ['Insufficient cpu'])],
    ['b', new Status('UnschedulableAndUnresolvable', ['node(s) had untolerated taint {k: v}'])],
    ['c', new Status('UnschedulableAndUnresolvable', ['node(s) had untolerated taint {k: v}'])],
  ]);
  assert.equal(fitErrorMessage(3, statuses), '0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {k: v}.');
});

test('default_plugins_test.go TestMergePlugins: custom entries replace defaults in place, others append, "*" disables all', () => {
  const defaults = { enabled: [{ name: 'A', weight: 1 }, { name: 'B' }, { name: 'C' }], disabled: [] };
  assert.deepEqual(mergePluginSet(defaults, { enabled: [{ name: 'X' }, { name: 'B', weight: 5 }], disabled: [{ name: 'C' }] }).enabled, [{ name: 'A', weight: 1 }, { name: 'B', weight: 5 }, { name: 'X' }]);
  assert.deepEqual(mergePluginSet(defaults, { enabled: [{ name: 'X' }], disabled: [{ name: '*' }] }).enabled, [{ name: 'X' }]);
});

test('the default profile: upstream filter order and score weights', () => {
  const p = buildProfile({ schedulerName: 'default-scheduler' }, IN_TREE_REGISTRY);
  assert.deepEqual(p.points.filter.map((x) => x.name), ['NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts', 'NodeResourcesFit', 'VolumeRestrictions', 'NodeVolumeLimits', 'VolumeBinding', 'VolumeZone', 'PodTopologySpread', 'InterPodAffinity']);
  assert.deepEqual(Object.fromEntries(p.weights), { TaintToleration: 3, NodeAffinity: 2, NodeResourcesFit: 1, PodTopologySpread: 2, InterPodAffinity: 2, NodeResourcesBalancedAllocation: 1, ImageLocality: 1 });
});

test('disabling every filter and score plugin and enabling one score plugin keeps the multiPoint PreScore plugins and scores every node', () => {
  const p = buildProfile(
    { schedulerName: 's', plugins: { filter: { enabled: [], disabled: [{ name: '*' }] }, score: { enabled: [{ name: 'NodeResourcesBalancedAllocation', weight: 7 }], disabled: [{ name: '*' }] } } },
    IN_TREE_REGISTRY,
  );
  assert.deepEqual(p.points.filter, []);
  assert.deepEqual(p.points.score.map((x) => x.name), ['NodeResourcesBalancedAllocation']);
  assert.ok(p.points.preScore.some((x) => x.name === 'NodeResourcesBalancedAllocation'));
  assert.equal(p.weights.get('NodeResourcesBalancedAllocation'), 7);
});

test('property: a bound pod always fits its node allocatable', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 2 ** 31 }), (cpus, seed) => {
      const nodes = [makeNode('n1', { cpu: '2', memory: '4Gi' }), makeNode('n2', { cpu: '3', memory: '4Gi' })];
      const pods = cpus.map((c, i) => makePod([{ cpu: `${c}m`, memory: '256Mi' }], { name: `p${i}` }));
      const results = explainSchedule({ nodes, pods }, undefined, seed);
      const used = new Map<string, number>();
      results.forEach((r, i) => {
        if (r.selectedNode) used.set(r.selectedNode, (used.get(r.selectedNode) ?? 0) + cpus[i]!);
      });
      return (used.get('n1') ?? 0) <= 2000 && (used.get('n2') ?? 0) <= 3000;
    }),
    { numRuns: 100 },
  );
});

test('property: ties between identical nodes are broken uniformly over seeds', () => {
  const nodes = ['a', 'b', 'c', 'd'].map((n) => makeNode(n, { cpu: '4', memory: '8Gi' }));
  const counts = new Map<string, number>();
  const runs = 4000;
  for (let seed = 1; seed <= runs; seed++) {
    const [r] = explainSchedule({ nodes, pods: [makePod([{ cpu: '1', memory: '1Gi' }], { name: 'p' })] }, undefined, seed);
    counts.set(r!.selectedNode!, (counts.get(r!.selectedNode!) ?? 0) + 1);
  }
  // Chi-square with 3 degrees of freedom: 16.27 is the 0.999 quantile.
  const chi2 = [...counts.values()].reduce((acc, c) => acc + (c - runs / 4) ** 2 / (runs / 4), 0);
  assert.equal(counts.size, 4);
  assert.ok(chi2 < 16.27, `chi2 ${chi2.toFixed(2)} for ${JSON.stringify([...counts])}`);
});
