/**
 * The scheduling queue on its own (engine/scheduler/queue.ts with queueing-hints.ts): where a
 * pod goes when its cycle fails, and where a cluster event moves it.
 *
 * The cases transcribe pkg/scheduler/backend/queue/scheduling_queue_test.go Test_InFlightPods
 * (Kubernetes 1.32, SchedulerQueueingHints on), keeping the ones whose decision does not depend
 * on events that happen while the pod is in flight: kubesim's cycle is instantaneous, so an
 * event reaches a pod only once it is back in the queue, and isPodWorthRequeuing then decides
 * exactly as determineSchedulingHintForInFlightPod would have. The plugins fooPlugin1..3 stand
 * for upstream's QueueingHintMap entries (queueHintReturnQueue / queueHintReturnSkip).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { ActionType, EVENTS, type ClusterEvent, type ClusterEventWithHint } from '../../engine/scheduler/cluster-event.js';
import { PodInfo } from '../../engine/scheduler/node-info.js';
import { SchedulingQueue } from '../../engine/scheduler/queue.js';
import { QueueingHintMap } from '../../engine/scheduler/queueing-hints.js';
import { Snapshot } from '../../engine/scheduler/snapshot.js';
import type { Plugin } from '../../engine/scheduler/types.js';
import { makePod } from './helpers.js';

const queue = (): ClusterEventWithHint['hint'] => () => 'Queue';
const skip = (): ClusterEventWithHint['hint'] => () => 'QueueSkip';

/** A plugin registered for `events`, each with its hint (upstream's QueueingHintFunction). */
function plugin(name: string, ...events: ClusterEventWithHint[]): Plugin {
  return { name, filter: () => null, eventsToRegister: () => events };
}

const assignedPodAdd = (hint: ClusterEventWithHint['hint']): ClusterEventWithHint => ({ event: { resource: 'Pod', actionType: ActionType.Add }, hint });

const SNAPSHOT = new Snapshot();
const POD1 = new PodInfo(makePod([], { name: 'targetpod' }));
const POD2 = new PodInfo(makePod([], { name: 'targetpod2' }));

/** MoveAllToActiveOrBackoffQueue(event) with `hints`, at `now`. */
function eventHappens(q: SchedulingQueue, hints: QueueingHintMap, event: ClusterEvent, now: number): void {
  q.moveUnschedulable(now, ({ plugins, pending, pod }) => hints.queueingStrategy(plugins, pending, pod!, event, undefined, undefined, SNAPSHOT));
}

/** A queue holding `pods` (added one second apart, as the upstream test steps its fake clock), all popped. */
function popped(...pods: PodInfo[]): SchedulingQueue {
  const q = new SchedulingQueue(1, 10);
  pods.forEach((p, i) => q.add(p.key, 0, i));
  for (const p of pods) assert.equal(q.pop()?.key, p.key);
  return q;
}

const NONE = new Set<string>();

test('Test_InFlightPods "pod is enqueued to backoff if no failed plugin": an unexpected error retries the pod after its back-off', () => {
  const hints = new QueueingHintMap([plugin('fooPlugin1', assignedPodAdd(queue()))]);
  const q = popped(POD1);
  assert.equal(q.addUnschedulable(POD1.key, 0, 10, NONE, NONE, POD1), 'backoff');
  eventHappens(q, hints, EVENTS.AssignedPodAdd, 10);
  assert.equal(q.queueOf(POD1.key), 'backoff');
  assert.equal(q.nextBackoffExpiry(), 11, 'podInitialBackoffSeconds after the first attempt');
});

test('Test_InFlightPods "pod is enqueued to unschedulable pod pool if no events that can make the pod schedulable"', () => {
  // fooPlugin1 registered AssignedPodAdd only; a NodeAdd does not concern it.
  const hints = new QueueingHintMap([plugin('fooPlugin1', assignedPodAdd(queue()))]);
  const q = popped(POD1);
  assert.equal(q.addUnschedulable(POD1.key, 0, 10, new Set(['fooPlugin1']), NONE, POD1), 'unschedulable');
  eventHappens(q, hints, EVENTS.NodeAdd, 10);
  assert.equal(q.queueOf(POD1.key), 'unschedulable');
});

test('Test_InFlightPods "pod is enqueued to unschedulable pod pool because the failed plugin has a hint fn but it returns Skip"', () => {
  const hints = new QueueingHintMap([plugin('fooPlugin1', assignedPodAdd(skip()))]);
  const q = popped(POD1);
  q.addUnschedulable(POD1.key, 0, 10, new Set(['fooPlugin1']), NONE, POD1);
  eventHappens(q, hints, EVENTS.AssignedPodAdd, 10);
  assert.equal(q.queueOf(POD1.key), 'unschedulable');
});

test('Test_InFlightPods "pod is enqueued to activeQ because the Pending plugins has a hint fn and it returns Queue"', () => {
  const hints = new QueueingHintMap([plugin('fooPlugin3', assignedPodAdd(skip())), plugin('fooPlugin2', assignedPodAdd(queue())), plugin('fooPlugin1', assignedPodAdd(queue()))]);
  const q = popped(POD1);
  q.addUnschedulable(POD1.key, 0, 10, new Set(['fooPlugin2', 'fooPlugin3']), new Set(['fooPlugin1']), POD1);
  eventHappens(q, hints, EVENTS.AssignedPodAdd, 10);
  // queueImmediately: to activeQ although the pod's back-off runs until 11.
  assert.equal(q.queueOf(POD1.key), 'active');
});

test('Test_InFlightPods "pod is enqueued to backoffQ because the failed plugin has a hint fn and it returns Queue"', () => {
  const hints = new QueueingHintMap([plugin('fooPlugin2', assignedPodAdd(skip())), plugin('fooPlugin1', assignedPodAdd(queue()))]);
  const q = popped(POD1);
  q.addUnschedulable(POD1.key, 0, 10, new Set(['fooPlugin1', 'fooPlugin2']), NONE, POD1);
  eventHappens(q, hints, EVENTS.AssignedPodAdd, 10);
  assert.equal(q.queueOf(POD1.key), 'backoff');
});

test('Test_InFlightPods "pod is enqueued to activeQ because the pending plugin ... returns Queue for a concurrent event": pod1 (no plugins) to backoffQ, pod2 (pending) to activeQ', () => {
  const hints = new QueueingHintMap([plugin('fooPlugin3', assignedPodAdd(skip())), plugin('fooPlugin2', assignedPodAdd(queue())), plugin('fooPlugin1', assignedPodAdd(queue()))]);
  const q = popped(POD1, POD2);
  q.addUnschedulable(POD1.key, 0, 10, NONE, NONE, POD1);
  q.addUnschedulable(POD2.key, 0, 10, new Set(['fooPlugin2', 'fooPlugin3']), new Set(['fooPlugin1']), POD2);
  eventHappens(q, hints, EVENTS.AssignedPodAdd, 10);
  assert.equal(q.queueOf(POD1.key), 'backoff');
  assert.equal(q.queueOf(POD2.key), 'active');
});

test('a pod back in backoffQ for an error reaches activeQ when its back-off completes, doubling per attempt', () => {
  // Hand-computed: attempts 1, 2, 3 at t = 0, 5, 20 back off 1, 2, 4 s (calculateBackoffDuration).
  const q = popped(POD1);
  q.addUnschedulable(POD1.key, 0, 0, NONE, NONE, POD1);
  assert.equal(q.flushBackoffCompleted(0.999), 0);
  assert.equal(q.flushBackoffCompleted(1), 1);
  assert.equal(q.pop()?.attempts, 1);
  q.addUnschedulable(POD1.key, 0, 5, NONE, NONE, POD1);
  assert.equal(q.nextBackoffExpiry(), 7);
  q.flushBackoffCompleted(7);
  q.pop();
  q.addUnschedulable(POD1.key, 0, 20, NONE, NONE, POD1);
  assert.equal(q.nextBackoffExpiry(), 24);
});

test('flushUnschedulablePodsLeftover moves a pod only once it waited more than podMaxInUnschedulablePodsDuration', () => {
  const q = popped(POD1);
  q.addUnschedulable(POD1.key, 0, 10, new Set(['fooPlugin1']), NONE, POD1);
  assert.equal(q.flushUnschedulableLeftover(310), 0, '300 s exactly is not more than 300 s');
  assert.equal(q.flushUnschedulableLeftover(310.5), 1);
  assert.equal(q.queueOf(POD1.key), 'active');
});

/**
 * scheduling_queue_test.go TestPodTimestamp: activeQ sorts pods of equal priority by
 * QueuedPodInfo.Timestamp, which moving between the queues keeps (pInfo1's timestamp is T,
 * pInfo2's T + 1 s).
 */
test('TestPodTimestamp "add two pod to unschedulablePods then move them to activeQ and sort them by the timestamp"', () => {
  const q = popped(POD2, POD1);
  q.addUnschedulable(POD2.key, 0, 101, new Set(['fooPlugin1']), NONE, POD2);
  q.addUnschedulable(POD1.key, 0, 100, new Set(['fooPlugin1']), NONE, POD1);
  q.moveUnschedulable(200);
  assert.deepEqual([q.pop()?.key, q.pop()?.key], [POD1.key, POD2.key]);
});

test('TestPodTimestamp "add one pod to BackoffQ and move it to activeQ"', () => {
  // pInfo1 came back from a failed attempt at T = 100 (back-off to 101); pInfo2 was added at 101.
  const q = popped(POD1);
  q.addUnschedulable(POD1.key, 0, 100, NONE, NONE, POD1);
  q.add(POD2.key, 0, 101);
  q.flushBackoffCompleted(101);
  assert.deepEqual([q.pop()?.key, q.pop()?.key], [POD1.key, POD2.key]);
});
