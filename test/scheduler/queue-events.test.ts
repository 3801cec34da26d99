/**
 * The scheduler's event handlers and queue together (pkg/scheduler/eventhandlers.go and
 * scheduling_queue.go with queueing hints, Kubernetes 1.32): which watch notifications move a
 * pending pod back to be tried, counted in FailedScheduling events and Scheduled. A small
 * cluster runs on its own (API server, scheduler, no kubelets); the test changes the Nodes
 * through the API at chosen times.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../../engine/api/types.js';
import { DEFAULT_SCHEDULER_CONFIG, type SchedulerConfig } from '../../engine/scheduler/config.js';
import { IN_TREE_REGISTRY, withPlugins } from '../../engine/scheduler/registry.js';
import { unschedulable } from '../../engine/scheduler/types.js';
import { runTestScenario } from '../helpers/scenario.js';
import { cluster } from './cluster.js';
import { makeNode, makePod } from './helpers.js';

const big = () => makePod([{ cpu: '2' }], { name: 'big' });
const oneCpuNodes = () => [makeNode('n1', { cpu: '1' }), makeNode('n2', { cpu: '1' })];

test('a pod rejected by NodeResourcesFit: a node label change does not move it, an allocatable increase does', () => {
  const c = cluster(oneCpuNodes(), [big()]);
  c.at(10, 'n1', (n) => void (n.metadata.labels = { ...n.metadata.labels, disk: 'ssd' }));
  c.at(20, 'n2', (n) => void (n.metadata.labels = { ...n.metadata.labels, disk: 'hdd' }));
  c.at(30, 'n2', (n) => void (n.status.allocatable = { ...n.status.allocatable, cpu: '4' }));
  c.sim.run({ until: 60 });
  // One attempt at 25 ms (created at 10 ms, seen 5 ms later, tried by the next 10 ms cycle),
  // none for the labels, one more after the allocatable change seen at 30.015 s: scheduled to n2.
  assert.deepEqual(c.failures('big'), [25]);
  assert.equal(c.scheduledTo('big'), 'n2');
  assert.equal(c.scheduler.stats.attempts, 2);
});

test('a pod rejected by NodeResourcesFit moves when a node that fits it is added, not one that does not', () => {
  const c = cluster(oneCpuNodes(), [big()]);
  c.sim.schedule(10, () => c.api.create(makeNode('small', { cpu: '1' })));
  c.sim.schedule(20, () => c.api.create(makeNode('large', { cpu: '4' })));
  c.sim.run({ until: 60 });
  assert.deepEqual(c.failures('big'), [25]);
  assert.equal(c.scheduledTo('big'), 'large');
  assert.equal(c.scheduler.stats.attempts, 2);
});

test('a pod rejected by TaintToleration: another untolerated taint does not move it, removing the taints does', () => {
  const taint = (key: string) => ({ key, effect: 'NoSchedule' as const });
  const c = cluster([makeNode('n1', { cpu: '4' }, { taints: [taint('maint')] })], [makePod([], { name: 'p' })]);
  c.at(10, 'n1', (n) => void (n.spec.taints = [taint('maint'), taint('gpu')]));
  c.at(20, 'n1', (n) => void delete n.spec.taints);
  c.sim.run({ until: 60 });
  assert.deepEqual(c.failures('p'), [25]);
  assert.equal(c.scheduledTo('p'), 'n1');
  assert.equal(c.scheduler.stats.attempts, 2);
});

test('a Node update that changes nothing the scheduler reads moves nothing, even for a plugin registered for every event', () => {
  // RejectAll, a user plugin without eventsToRegister, is retried on every cluster event: a
  // condition heartbeat (same status, new lastHeartbeatTime) is none; an annotation is one.
  const registry = withPlugins(IN_TREE_REGISTRY, { RejectAll: () => ({ name: 'RejectAll', filter: () => unschedulable('no') }) });
  const config: SchedulerConfig = { ...DEFAULT_SCHEDULER_CONFIG, profiles: [{ schedulerName: 'default-scheduler', plugins: { filter: { enabled: [{ name: 'RejectAll' }], disabled: [] } } }] };
  const ready = makeNode('n1', { cpu: '4' });
  ready.status.conditions = [{ type: 'Ready', status: 'True', lastHeartbeatTime: 0, lastTransitionTime: 0 }];
  const c = cluster([ready], [makePod([], { name: 'p' })], config, registry);
  c.at(10, 'n1', (n) => void (n.status.conditions![0]!.lastHeartbeatTime = 10));
  c.at(20, 'n1', (n) => void ((n.status as { images?: unknown }).images = [{ names: ['busybox:1.36'], sizeBytes: 1 }]));
  c.at(30, 'n1', (n) => void (n.metadata.annotations = { note: 'x' }));
  c.sim.run({ until: 40 });
  assert.deepEqual(c.failures('p'), [25, 30_025]);
});

test('the same annotation does not move a pod the default plugins rejected (no plugin registers NodeAnnotationChange)', () => {
  const c = cluster(oneCpuNodes(), [big()]);
  c.at(10, 'n1', (n) => void (n.metadata.annotations = { note: 'x' }));
  c.at(20, 'n1', (n) => void (n.status.conditions = [{ type: 'Ready', status: 'False' }]));
  c.sim.run({ until: 40 });
  assert.deepEqual(c.failures('big'), [25]);
});

test('an uncordon moves a pod NodeUnschedulable rejected; a label change before it did not', () => {
  const c = cluster([makeNode('n1', { cpu: '4' }, { unschedulable: true })], [makePod([], { name: 'p' })]);
  c.at(10, 'n1', (n) => void (n.metadata.labels = { ...n.metadata.labels, x: 'y' }));
  c.at(20, 'n1', (n) => void delete n.spec.unschedulable);
  c.sim.run({ until: 40 });
  assert.deepEqual(c.failures('p'), [25]);
  assert.equal(c.scheduledTo('p'), 'n1');
});

test('a bound pod deleted moves a pod NodeResourcesFit rejected; a pending pod deleted does not', () => {
  const holder = makePod([{ cpu: '3' }], { name: 'holder', nodeName: 'n1' });
  const waiting = makePod([{ cpu: '2' }], { name: 'waiting' });
  const other = makePod([{ cpu: '8' }], { name: 'other' });
  const c = cluster([makeNode('n1', { cpu: '4' })], [holder, waiting, other]);
  c.sim.schedule(10, () => c.api.delete('Pod', 'default', 'other'));
  c.sim.schedule(20, () => c.api.delete('Pod', 'default', 'holder'));
  c.sim.run({ until: 40 });
  assert.equal(c.failures('waiting').length, 1);
  assert.equal(c.scheduledTo('waiting'), 'n1');
  assert.ok(c.failures('other').length >= 1);
});

const HUGE = `    - apiVersion: v1
      kind: Pod
      metadata: { name: huge }
      spec:
        containers: [{ name: c, image: busybox:1.36, resources: { requests: { cpu: "3" } } }]
`;

test('end to end: a pod too big for any node fails once, then only on the event that may help it (2 FailedScheduling, 4 before queueing hints)', () => {
  // cp is tainted (TaintToleration rejects the pod there), w1-w3 have 2 CPUs (NodeResourcesFit).
  // Two node labels change nothing either plugin reads; the taint on w3 is Node/UpdateNodeTaint,
  // which NodeResourcesFit gets with an always-Queue hint because it registers Node/Add
  // (scheduler.go buildQueueingHintMap, kubernetes#109437): one more attempt, which fails.
  // Before, every Node update moved every unschedulable pod: 1 + 3 failures.
  const { obs } = runTestScenario({
    duration: '60s',
    rate: 1,
    extraManifests: HUGE,
    timeline: [
      { at: '30s', run: 'kubectl label node w1 disk=ssd' },
      { at: '40s', run: 'kubectl label node w2 disk=hdd' },
      { at: '50s', run: 'kubectl taint nodes w3 maint=now:NoSchedule' },
    ],
  });
  const failed = obs.eventsWith('FailedScheduling').filter((e) => e.name === 'huge');
  assert.deepEqual(
    failed.map((e) => e.time),
    [0.025, 50.025],
  );
  assert.match(failed[1]!.message, /1 node\(s\) had untolerated taint \{maint: now\}/);
});

test('a pod waiting for pod affinity is tried again when this scheduler binds the pod it wants (AssignedPodAdd on the bind)', () => {
  const affine = makePod([], {
    name: 'web',
    affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname' }] } },
  } as Partial<Pod['spec']> & { name: string });
  const c = cluster([makeNode('n1', { cpu: '4' })], [affine]);
  c.sim.schedule(5, () => c.api.create(makePod([], { name: 'db', labels: { app: 'db' } })));
  c.sim.run({ until: 60 });
  assert.deepEqual(c.failures('web'), [25]);
  assert.equal(c.scheduledTo('db'), 'n1');
  assert.equal(c.scheduledTo('web'), 'n1');
  // db is tried at 5.025 s and bound; the scheduler sees the binding at 5.04 s and web binds at 5.05 s.
  const webAt = c.scheduledAt('web');
  assert.ok(webAt > 5.04 && webAt < 5.06, `web scheduled at ${webAt}`);
});
