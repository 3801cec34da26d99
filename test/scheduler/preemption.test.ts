/**
 * DefaultPreemption (default_preemption_test.go, the simplest cases): a higher-priority pod
 * that fits nowhere evicts the lower-priority pod in its way, keeps (reprieves) the ones it
 * does not need removed, and never preempts pods of its own priority; and a run emits
 * Preempted then schedules the preemptor on the nominated node.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { createStream } from '../../engine/core/rng.js';
import { buildProfiles, DEFAULT_SCHEDULER_CONFIG } from '../../engine/scheduler/config.js';
import { Framework } from '../../engine/scheduler/framework.js';
import { PodInfo } from '../../engine/scheduler/node-info.js';
import { defaultPreemption } from '../../engine/scheduler/plugins/default-preemption.js';
import { Status } from '../../engine/scheduler/types.js';
import { runScenario } from '../../engine/run.js';
import { loadScenarioFile } from '../../engine/scenario/loader.js';
import { MemoryObserver } from '../helpers/memory-observer.js';
import { repoPath } from '../helpers/paths.js';
import { cluster } from './cluster.js';
import { makeNode, makePod, snapshotOf } from './helpers.js';

function framework(): Framework {
  return new Framework(buildProfiles(DEFAULT_SCHEDULER_CONFIG)[0]!, createStream(1, 'scheduler'), undefined);
}

test('preemption: the lower-priority pod in the way is the victim; a small one that can stay is reprieved', () => {
  const nodes = [makeNode('n1', { cpu: '1', memory: '1Gi' })];
  const big = makePod([{ cpu: '700m' }], { name: 'big', nodeName: 'n1', priority: 1 });
  const small = makePod([{ cpu: '100m' }], { name: 'small', nodeName: 'n1', priority: 2 });
  const snap = snapshotOf(nodes, [big, small]);
  const fw = framework();
  const preemptor = new PodInfo(makePod([{ cpu: '800m' }], { name: 'p', priority: 100 }));
  const r = fw.schedulePod(snap, preemptor);
  assert.equal(r.node, undefined);
  assert.equal(r.message, '0/1 nodes are available: 1 Insufficient cpu.');
  const post = fw.runPostFilter(r, preemptor)!;
  assert.equal(post.status.code, 'Success');
  assert.equal(post.nominatedNodeName, 'n1');
  assert.deepEqual(post.victims?.map((v) => v.name), ['big']);
  assert.deepEqual(snap.node('n1')!.pods.map((p) => p.name).sort(), ['big', 'small'], 'the what-ifs leave the node as it was');
  assert.equal(snap.node('n1')!.reqCpu, 800);
});

test('preemption: pods of equal or higher priority are never victims', () => {
  const snap = snapshotOf([makeNode('n1', { cpu: '1', memory: '1Gi' })], [makePod([{ cpu: '900m' }], { name: 'same', nodeName: 'n1', priority: 5 })]);
  const fw = framework();
  const preemptor = new PodInfo(makePod([{ cpu: '500m' }], { name: 'p', priority: 5 }));
  const post = fw.runPostFilter(fw.schedulePod(snap, preemptor), preemptor)!;
  // No candidate: Unschedulable, and the pod's nomination cleared (NominatedNode "").
  assert.equal(post.nominatedNodeName, '');
  assert.equal(post.status.code, 'Unschedulable');
  assert.equal(post.status.message, 'preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.');
  // Not eligible: Unschedulable, no result (the nomination stays as it is).
  const never = new PodInfo(makePod([{ cpu: '500m' }], { name: 'q', priority: 9, preemptionPolicy: 'Never' } as never));
  const notEligible = fw.runPostFilter(fw.schedulePod(snap, never), never)!;
  assert.equal(notEligible.status.code, 'Unschedulable');
  assert.equal(notEligible.status.message, 'preemption: not eligible due to preemptionPolicy=Never.');
  assert.equal(notEligible.nominatedNodeName, undefined);
});

/**
 * default_preemption_test.go TestPostFilter (1.32), the cases without PDBs, extenders or the
 * error-injecting TestPlugin: the PostFilter runs on the given filteredNodesStatuses (a node
 * absent from them counts as UnschedulableAndUnresolvable). Nodes have 32 pods allocatable
 * unless onePodRes (1 pod); nodeRes is 200m cpu and 400 bytes; largeRes is 300m and 300 bytes;
 * priorities low 0, mid 100, high 1000.
 */
test('default_preemption_test.go TestPostFilter: codes, nominations and messages', () => {
  const onePod = { pods: '1' };
  const nodeRes = { cpu: '200m', memory: '400', pods: '32' };
  const largeRes = { cpu: '300m', memory: '300' };
  const U = (...names: string[]) => new Map(names.map((n) => [n, new Status('Unschedulable')]));
  const run = (pod: ReturnType<typeof makePod>, pods: ReturnType<typeof makePod>[], nodes: ReturnType<typeof makeNode>[], statuses: Map<string, Status>) => {
    const fw = framework();
    const info = new PodInfo(pod);
    const r = fw.schedulePod(snapshotOf(nodes, pods), info);
    const post = defaultPreemption().postFilter!(r.state, info, statuses, fw);
    return [post.status.code, post.status.message, post.nominatedNodeName];
  };
  const p = (priority: number, req: Record<string, string>[] = []) => makePod(req, { name: 'p', priority } as never);
  const on = (name: string, node: string, priority = 0) => makePod([], { name, nodeName: node, priority } as never);

  assert.deepEqual(run(p(1000), [on('p1', 'node1')], [makeNode('node1', onePod)], U('node1')), ['Success', '', 'node1'], 'pod with higher priority can be made schedulable');
  assert.deepEqual(
    run(p(0), [on('p1', 'node1')], [makeNode('node1', onePod)], U('node1')),
    ['Unschedulable', 'preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.', ''],
    'pod with tied priority is still unschedulable',
  );
  assert.deepEqual(
    run(p(1000), [on('p1', 'node1')], [makeNode('node1', onePod)], new Map([['node1', new Status('UnschedulableAndUnresolvable')]])),
    ['Unschedulable', 'preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.', ''],
    'preemption should respect filteredNodesStatuses',
  );
  assert.deepEqual(
    run(p(1000), [on('p1', 'node1')], [makeNode('node1', onePod)], new Map()),
    ['Unschedulable', 'preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.', ''],
    'preemption should respect absent NodeToStatusReader entry meaning UnschedulableAndUnresolvable',
  );
  assert.deepEqual(
    run(p(100), [on('p1', 'node1', 1000), on('p2', 'node2', 0)], [makeNode('node1', onePod), makeNode('node2', onePod)], U('node1', 'node2')),
    ['Success', '', 'node2'],
    'pod can be made schedulable on one node',
  );
  assert.deepEqual(
    run(p(1000, [largeRes]), [on('p1', 'node1'), on('p2', 'node2')], [makeNode('node1', nodeRes), makeNode('node2', nodeRes)], U('node1', 'node2')),
    ['Unschedulable', 'preemption: 0/2 nodes are available: 2 Insufficient cpu.', ''],
    'no candidate nodes found, no enough resource after removing low priority pods',
  );
  assert.deepEqual(
    run(p(1000, [largeRes]), [on('p1', 'node1', 1000), on('p2', 'node2'), on('p3', 'node3', 1000)], [makeNode('node1', onePod), makeNode('node2', nodeRes), makeNode('node3', onePod)], U('node1', 'node2', 'node3')),
    ['Unschedulable', 'preemption: 0/3 nodes are available: 1 Insufficient cpu, 2 No preemption victims found for incoming pod.', ''],
    'no candidate nodes found with mixed reasons, no lower priority pod and no enough CPU resource',
  );
  const four = ['node1', 'node2', 'node3', 'node4'].map((n) => makeNode(n, nodeRes));
  const mixed = U('node1', 'node2');
  mixed.set('node4', new Status('UnschedulableAndUnresolvable'));
  assert.deepEqual(
    run(p(1000, [largeRes]), [on('p1', 'node1'), on('p2', 'node2')], four, mixed),
    ['Unschedulable', 'preemption: 0/4 nodes are available: 2 Insufficient cpu, 2 Preemption is not helpful for scheduling.', ''],
    "no candidate nodes found with mixed reason, 2 UnschedulableAndUnresolvable nodes and 2 nodes don't have enough CPU resource",
  );
});

test('a run: the high-priority pod preempts, its nomination keeps the replacement low pod off the node, then it is scheduled there', () => {
  const obs = new MemoryObserver();
  runScenario(loadScenarioFile(repoPath('test/fixtures/schedule/preemption-run.yaml')).scenario, obs);
  const lines = obs.events.filter((e) => ['Scheduled', 'FailedScheduling', 'Preempted'].includes(e.reason)).map((e) => `${e.reason} ${e.name.split('-')[0]}`);
  assert.deepEqual(lines, ['Scheduled low', 'FailedScheduling high', 'Preempted low', 'FailedScheduling low', 'Scheduled high']);
  assert.equal(obs.summaryValues.get('scheduling_preemptions'), 1);
});

test('a nominated pod whose next preemption finds no candidate loses its nomination (NominatedNode "" clears status.nominatedNodeName)', () => {
  // high preempts low on n1 at 25 ms and is nominated there (low terminates; no kubelet here to
  // finish it). A taint on n1 at 1 s (seen 1.015 s) is Node/UpdateNodeTaint, which
  // NodeResourcesFit gets with the Node/Add workaround: high waits out its back-off (1.025 s),
  // is flushed at 2 s and tried at 2.01 s; TaintToleration now rejects n1 as
  // UnschedulableAndUnresolvable, preemption has no candidate and clears the nomination.
  const low = makePod([{ cpu: '1' }], { name: 'low', nodeName: 'n1', priority: 0 } as never);
  const high = makePod([{ cpu: '1' }], { name: 'high', priority: 100 } as never);
  const c = cluster([makeNode('n1', { cpu: '1' })], [low, high]);
  const nominated = () => (c.api.get('Pod', 'default', 'high')!.status as { nominatedNodeName?: string } | undefined)?.nominatedNodeName;
  c.sim.run({ until: 0.5 });
  assert.equal(nominated(), 'n1');
  assert.equal(c.scheduler.snapshot.nominatedOn('n1')?.[0]?.name, 'high');
  c.at(1, 'n1', (n) => void (n.spec.taints = [{ key: 'maint', effect: 'NoSchedule' }]));
  c.sim.run({ until: 3 });
  assert.deepEqual(c.failures('high'), [25, 2010]);
  assert.equal(
    c.failureMessages('high')[1],
    '0/1 nodes are available: 1 node(s) had untolerated taint {maint: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
  );
  assert.equal(nominated(), undefined);
  assert.equal(c.scheduler.snapshot.nominatedOn('n1'), undefined);
});
