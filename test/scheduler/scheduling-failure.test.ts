/**
 * What a failed scheduling cycle does with the pod (Kubernetes 1.32):
 *  - schedule_one.go handleSchedulingFailure and scheduling_queue.go AddUnschedulableIfNotPresent
 *    (determineSchedulingHintForInFlightPod): a pod no plugin rejected (no nodes at all, an error
 *    status) goes to backoffQ and is tried again after its back-off (1, 2, 4, 8, 10 s), not at
 *    the next event or the 5-minute flush; an error status skips PostFilter and is the event's
 *    message;
 *  - a plugin that answered Pending gets the pod back into activeQ at once when an event it
 *    registered may help (queueImmediately), where an Unschedulable plugin's pod waits out its
 *    back-off;
 *  - framework/runtime/framework.go RunPreFilterPlugins (Unschedulable lets the other PreFilter
 *    plugins run, kubernetes#119770; any other code is an error), RunFilterPlugins and
 *    RunPreScorePlugins (codes they do not allow are errors, with upstream's wrapped messages).
 * Timings are hand-computed: API writes take 10 ms, watches 5 ms, a cycle 10 ms, the back-off
 * flush runs every second from t = 0.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { createStream } from '../../engine/core/rng.js';
import { buildProfiles, DEFAULT_SCHEDULER_CONFIG, type SchedulerConfig } from '../../engine/scheduler/config.js';
import { Framework } from '../../engine/scheduler/framework.js';
import { PodInfo } from '../../engine/scheduler/node-info.js';
import { IN_TREE_REGISTRY, withPlugins, type Registry } from '../../engine/scheduler/registry.js';
import { Status, type Plugin } from '../../engine/scheduler/types.js';
import { cluster } from './cluster.js';
import { makeNode, makePod, snapshotOf } from './helpers.js';

/** A profile with the default plugins plus `plugins` enabled at their extension points, in order. */
function withUserPlugins(plugins: Plugin[]): { config: SchedulerConfig; registry: Registry } {
  const registry = withPlugins(IN_TREE_REGISTRY, Object.fromEntries(plugins.map((p) => [p.name, () => p])));
  const at = (point: 'preFilter' | 'filter' | 'preScore') => ({ enabled: plugins.filter((p) => p[point]).map((p) => ({ name: p.name })), disabled: [] });
  const config: SchedulerConfig = {
    ...DEFAULT_SCHEDULER_CONFIG,
    profiles: [{ schedulerName: 'default-scheduler', plugins: { preFilter: at('preFilter'), filter: at('filter'), preScore: at('preScore') } }],
  };
  return { config, registry };
}

test('a pod failing with no nodes at all is retried after its back-off (1, 2, 4, 8, 10 s), not after 5 minutes', () => {
  const c = cluster([], [makePod([], { name: 'p' })]);
  c.sim.schedule(40, () => c.api.create(makeNode('n1', { cpu: '1' })));
  c.sim.run({ until: 45 });
  // Attempt 1 at 25 ms backs off 1 s (to 1.025 s): the flush at 2 s moves it, tried at 2.01 s;
  // attempt 2 backs off 2 s (4.01 s): flushed at 5 s; then 4 s (9.01), 8 s (18.01), and 16 s
  // capped at podMaxBackoffSeconds 10 (29.01, tried 30.01, then 40.01). The node added at 40 s
  // (seen 40.015 s) moves nothing (the pod is in backoffQ); the flush at 41 s does.
  assert.deepEqual(c.failures('p'), [25, 2010, 5010, 10010, 19010, 30010]);
  assert.deepEqual(new Set(c.failureMessages('p')), new Set(['no nodes available to schedule pods']));
  assert.equal(c.scheduledTo('p'), 'n1');
  assert.equal(Math.round(c.scheduledAt('p') * 1000), 41010);
});

test('an error status from a filter: the cycle fails with the wrapped error, no preemption, and the pod is retried after its back-off', () => {
  const broken: Plugin = { name: 'Broken', filter: () => new Status('Error', ['boom']) };
  const { config, registry } = withUserPlugins([broken]);
  const c = cluster([makeNode('n1', { cpu: '1' })], [makePod([], { name: 'p' })], config, registry);
  c.sim.run({ until: 6 });
  assert.deepEqual(c.failures('p'), [25, 2010, 5010]);
  assert.deepEqual(new Set(c.failureMessages('p')), new Set(['running "Broken" filter plugin: boom']));
});

test('a plugin that answered Pending gets the pod tried at once on an event it registered; an Unschedulable one, after the back-off', () => {
  const ready = (labels: Record<string, string>) => labels.ready === 'yes';
  const gate = (code: 'Pending' | 'Unschedulable'): Plugin => ({ name: 'Gate', filter: (_s, _p, node) => (ready(node.labels) ? null : new Status(code, ['waiting for ready'])) });
  // DefaultPreemption tries only nodes whose status is Unschedulable (NodesForStatusCode): a
  // Pending node is not a candidate.
  const preemption = {
    Pending: 'preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    Unschedulable: 'preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
  };
  for (const [code, at] of [['Pending', 325], ['Unschedulable', 2010]] as const) {
    const { config, registry } = withUserPlugins([gate(code)]);
    const c = cluster([makeNode('n1', { cpu: '1' })], [makePod([], { name: 'p' })], config, registry);
    // Gate registers no events, so it gets every event (Queue): the label seen at 0.315 s.
    c.at(0.3, 'n1', (n) => void (n.metadata.labels = { ...n.metadata.labels, ready: 'yes' }));
    c.sim.run({ until: 5 });
    assert.deepEqual(c.failures('p'), [25], code);
    assert.deepEqual(c.failureMessages('p'), [`0/1 nodes are available: 1 waiting for ready. ${preemption[code]}`]);
    assert.equal(Math.round(c.scheduledAt('p') * 1000), at, `${code}: scheduled at`);
  }
});

/** One cycle of the default profile plus `plugins` over `nodes`. */
function cycle(plugins: Plugin[], nodes = [makeNode('n1', { cpu: '1' })]) {
  const { config, registry } = withUserPlugins(plugins);
  const fw = new Framework(buildProfiles(config, registry)[0]!, createStream(1, 'scheduler'), undefined);
  return fw.schedulePod(snapshotOf(nodes), new PodInfo(makePod([], { name: 'p' })));
}

test('RunPreFilterPlugins: an Unschedulable PreFilter lets the next ones run; UnschedulableAndUnresolvable stops; other codes are errors', () => {
  const pre = (name: string, status: Status | null): Plugin => ({ name, preFilter: () => status });
  let r = cycle([pre('First', new Status('Unschedulable', ['first'])), pre('Second', new Status('UnschedulableAndUnresolvable', ['second']))]);
  assert.equal(r.message, '0/1 nodes are available: second.');
  assert.deepEqual([...r.unschedulablePlugins], ['Second']);
  assert.equal(r.statuses.get('n1')?.code, 'UnschedulableAndUnresolvable');
  r = cycle([pre('First', new Status('Unschedulable', ['first'])), pre('Second', new Status('Unschedulable', ['second']))]);
  assert.equal(r.message, '0/1 nodes are available: second.', 'the last Unschedulable status is returned');
  assert.deepEqual([...r.unschedulablePlugins], ['Second']);
  r = cycle([pre('First', new Status('Unschedulable', ['first'])), pre('Second', null)]);
  assert.equal(r.message, '0/1 nodes are available: first.');
  assert.equal(r.error, undefined);
  r = cycle([pre('First', new Status('Error', ['boom'])), pre('Second', new Status('UnschedulableAndUnresolvable', ['second']))]);
  assert.equal(r.error, 'running PreFilter plugin "First": boom');
  assert.deepEqual([...r.unschedulablePlugins], []);
  r = cycle([pre('First', new Status('Pending', ['later']))]);
  assert.equal(r.error, 'running PreFilter plugin "First": later', 'Pending is not a PreFilter answer');
});

test('RunFilterPlugins: Pending rejects the node and is recorded as pending; Skip or Wait from a filter is an error with a nil cause', () => {
  let r = cycle([{ name: 'Later', filter: () => new Status('Pending', ['later']) }]);
  assert.equal(r.message, '0/1 nodes are available: 1 later.');
  assert.deepEqual([...r.unschedulablePlugins], ['Later']);
  assert.deepEqual([...r.pendingPlugins], ['Later']);
  r = cycle([{ name: 'Odd', filter: () => new Status('Skip') }]);
  assert.equal(r.error, 'running "Odd" filter plugin: %!w(<nil>)');
});

test('RunPreScorePlugins: a PreScore status other than Success or Skip fails the cycle (with two feasible nodes to score)', () => {
  const r = cycle([{ name: 'Picky', preScore: () => new Status('Unschedulable', ['no']) }], [makeNode('n1', { cpu: '1' }), makeNode('n2', { cpu: '1' })]);
  assert.equal(r.node, undefined);
  assert.equal(r.error, 'running PreScore plugin "Picky": no');
});

test('RunPostFilterPlugins: Unschedulable answers add up (reasons joined, the first plugin named, the last nomination kept); UnschedulableAndUnresolvable or Success stops; other codes are errors', () => {
  const { config, registry } = withUserPlugins([]);
  const post = (name: string, code: Status['code'], reason: string, nominatedNodeName?: string): Plugin => ({
    name,
    postFilter: () => ({ status: new Status(code, [reason]), nominatedNodeName }),
  });
  const run = (plugins: Plugin[]) => {
    const reg = withPlugins(registry, Object.fromEntries(plugins.map((p) => [p.name, () => p])));
    const profile = { ...config.profiles[0]!, plugins: { postFilter: { enabled: plugins.map((p) => ({ name: p.name })), disabled: [{ name: '*' }] } } };
    const fw = new Framework(buildProfiles({ ...config, profiles: [profile] }, reg)[0]!, createStream(1, 'scheduler'), undefined);
    const info = new PodInfo(makePod([{ cpu: '2' }], { name: 'p' }));
    const r = fw.runPostFilter(fw.schedulePod(snapshotOf([makeNode('n1', { cpu: '1' })]), info), info)!;
    return [r.status.code, r.status.message, r.status.plugin, r.nominatedNodeName];
  };
  assert.deepEqual(run([post('A', 'Unschedulable', 'a', ''), post('B', 'Unschedulable', 'b')]), ['Unschedulable', 'a, b', 'A', '']);
  assert.deepEqual(run([post('A', 'Unschedulable', 'a'), post('B', 'UnschedulableAndUnresolvable', 'b'), post('C', 'Success', 'c', 'n1')]), ['UnschedulableAndUnresolvable', 'b', 'B', undefined]);
  assert.deepEqual(run([post('A', 'Unschedulable', 'a'), post('B', 'Success', '', 'n1')]), ['Success', '', '', 'n1']);
  assert.deepEqual(run([post('A', 'Error', 'boom'), post('B', 'Success', '', 'n1')]), ['Error', 'boom', 'A', undefined]);
});
