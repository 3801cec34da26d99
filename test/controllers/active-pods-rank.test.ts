/**
 * Which pods a ReplicaSet deletes first (engine/controllers/active-pods-rank.ts), against
 * pkg/controller/controller_utils_test.go TestSortingActivePodsWithRanks (its equality and
 * inequality cases under the default feature gates, transcribed: LogarithmicScaleDown and
 * PodDeletionCost on) and hand-computed examples of the logarithmic buckets, the uid tie-break,
 * the whole-second timestamps and the related-pods rank.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { compareActivePods, deletionCost, podsToDelete, POD_DELETION_COST_ANNOTATION, rankForDeletion } from '../../engine/controllers/active-pods-rank.js';
import type { Pod, PodPhase } from '../../engine/api/types.js';

interface P {
  node?: string;
  phase?: PodPhase;
  ready?: boolean;
  restarts?: number;
  readySince?: number;
  created?: number;
  uid?: string;
  annotations?: Record<string, string>;
}

/** controller_utils_test.go's `pod(name, node, phase, ready, restarts, readySince, created, annotations)`; undefined times are Go's zero time. */
function pod(name: string, o: P): Pod {
  const ready = o.ready ?? false;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, uid: o.uid, creationTimestamp: o.created, annotations: o.annotations },
    spec: { containers: [{ name: 'c', image: 'i' }], nodeName: o.node || undefined },
    status: {
      phase: o.phase ?? 'Running',
      conditions: ready ? [{ type: 'Ready', status: 'True', lastTransitionTime: o.readySince }] : [],
      containerStatuses: ready ? [{ name: 'c', ready: true, restartCount: o.restarts ?? 0 } as never] : [],
    },
  };
}

// The test's clock: now, a month, 2, 5 and 8 hours before (in whole seconds, as metav1.Time keeps them).
const now = 90 * 86400;
const then1Month = now - 30 * 86400;
const then2Hours = now - 2 * 3600;
const then5Hours = now - 5 * 3600;
const then8Hours = now - 8 * 3600;

const unscheduledPod = pod('unscheduled', { phase: 'Pending' });
const scheduledPendingPod = pod('pending', { node: 'node', phase: 'Pending' });
const unknownPhasePod = pod('unknown-phase', { node: 'node', phase: 'Unknown' });
const runningNotReadyPod = pod('not-ready', { node: 'node' });
const runningReadyNoLastTransitionTimePod = pod('ready-no-last-transition-time', { node: 'node', ready: true });
const runningReadyNow = pod('ready-now', { node: 'node', ready: true, readySince: now, created: now });
const runningReadyThen = pod('ready-then', { node: 'node', ready: true, readySince: then1Month, created: then1Month });
const runningReadyNowHighRestarts = pod('ready-high-restarts', { node: 'node', ready: true, restarts: 9001, readySince: now, created: now });
const runningReadyNowCreatedThen = pod('ready-now-created-then', { node: 'node', ready: true, readySince: now, created: then1Month });
const lowPodDeletionCost = pod('low-deletion-cost', { node: 'node', ready: true, readySince: now, created: then1Month, annotations: { [POD_DELETION_COST_ANNOTATION]: '10' } });
const highPodDeletionCost = pod('high-deletion-cost', { node: 'node', ready: true, readySince: now, created: then1Month, annotations: { [POD_DELETION_COST_ANNOTATION]: '100' } });
const unscheduled5Hours = pod('unscheduled-5-hours', { phase: 'Pending', created: then5Hours });
const unscheduled8Hours = pod('unscheduled-10-hours', { phase: 'Pending', created: then8Hours });
const ready2Hours = pod('ready-2-hours', { phase: 'Running', ready: true, readySince: then2Hours, created: then1Month });
const ready5Hours = pod('ready-5-hours', { phase: 'Running', ready: true, readySince: then5Hours, created: then1Month });
const ready10Hours = pod('ready-10-hours', { phase: 'Running', ready: true, readySince: then8Hours, created: then1Month });

test('TestSortingActivePodsWithRanks: equality cases (rank 1 each; 5 and 8 hours share a logarithmic bucket)', () => {
  const cases: [Pod, Pod?][] = [
    [unscheduledPod],
    [scheduledPendingPod],
    [unknownPhasePod],
    [runningNotReadyPod],
    [runningReadyNowCreatedThen],
    [runningReadyNow],
    [runningReadyThen],
    [runningReadyNowHighRestarts],
    [unscheduled5Hours, unscheduled8Hours],
    [ready5Hours, ready10Hours],
  ];
  for (const [p1, p2 = p1] of cases) {
    assert.equal(compareActivePods(p1, 1, p2, 1, now), 0, `${p1.metadata.name} ~ ${p2.metadata.name}`);
    assert.equal(compareActivePods(p2, 1, p1, 1, now), 0, `${p2.metadata.name} ~ ${p1.metadata.name}`);
  }
});

test('TestSortingActivePodsWithRanks: inequality cases (lesser goes first, whatever the order asked)', () => {
  const cases: [Pod, number, Pod, number][] = [
    [unscheduledPod, 1, scheduledPendingPod, 2],
    [unscheduledPod, 2, scheduledPendingPod, 1],
    [scheduledPendingPod, 1, unknownPhasePod, 2],
    [unknownPhasePod, 1, runningNotReadyPod, 2],
    [runningNotReadyPod, 1, runningReadyNoLastTransitionTimePod, 1],
    [runningReadyNoLastTransitionTimePod, 1, runningReadyNow, 1],
    [runningReadyNow, 2, runningReadyNoLastTransitionTimePod, 1],
    [runningReadyNow, 1, runningReadyThen, 1],
    [runningReadyNow, 2, runningReadyThen, 1],
    [runningReadyNowHighRestarts, 1, runningReadyNow, 1],
    [runningReadyNow, 2, runningReadyNowHighRestarts, 1],
    [runningReadyNow, 1, runningReadyNowCreatedThen, 1],
    [runningReadyNowCreatedThen, 2, runningReadyNow, 1],
    [lowPodDeletionCost, 2, highPodDeletionCost, 1],
    [ready2Hours, 1, ready5Hours, 1],
  ];
  for (const [lesser, rl, greater, rg] of cases) {
    const what = `${lesser.metadata.name}(${rl}) < ${greater.metadata.name}(${rg})`;
    assert.ok(compareActivePods(lesser, rl, greater, rg, now) < 0, what);
    assert.ok(compareActivePods(greater, rg, lesser, rl, now) > 0, what);
  }
});

test('pod-deletion-cost: an int32 without plus sign or leading zeros, anything else counts as 0', () => {
  const cost = (v: string) => deletionCost(pod('p', { annotations: { [POD_DELETION_COST_ANNOTATION]: v } }));
  assert.deepEqual(['10', '-5', '0', '+10', '008', '', 'x', '2147483647', '2147483648', '-2147483648'].map(cost), [10, -5, 0, 0, 0, 0, 0, 2147483647, 0, -2147483648]);
});

test('logarithmic buckets: ready 50 s ago goes before 90 s ago (2^35 ns < 50 s < 2^36 ns < 90 s); 70 s and 90 s share bucket 36 and fall to the uid', () => {
  const t = 1000;
  const a = pod('a', { node: 'n', ready: true, readySince: t - 50, created: 0, uid: 'u3' });
  const b = pod('b', { node: 'n', ready: true, readySince: t - 90, created: 0, uid: 'u1' });
  const c = pod('c', { node: 'n', ready: true, readySince: t - 70, created: 0, uid: 'u2' });
  assert.deepEqual(rankForDeletion([b, c, a], [], t).map((p) => p.metadata.name), ['a', 'b', 'c']);
});

test('timestamps count in whole seconds: ready at 965.3 s and 965.9 s are both 965 s, so the restarts decide', () => {
  // Unrounded, 34.7 s and 34.1 s ago straddle 2^35 ns (34.36 s): y would go first, being in the lower bucket.
  const x = pod('x', { node: 'n', ready: true, readySince: 965.3, created: 1, restarts: 2 });
  const y = pod('y', { node: 'n', ready: true, readySince: 965.9, created: 1 });
  assert.deepEqual(rankForDeletion([y, x], [], 1000).map((p) => p.metadata.name), ['x', 'y']);
});

test('getPodsRankedByRelatedPodsOnSameNode: the rank counts the active related pods on the node; none related, no rank', () => {
  const t = 1000;
  const p1 = pod('p1', { node: 'n1', ready: true, readySince: 10, created: 5, uid: 'u1' });
  const p2 = pod('p2', { node: 'n2', ready: true, readySince: 10, created: 5, uid: 'u2' });
  const sibling = pod('sibling', { node: 'n2', ready: true, readySince: 10, created: 5, uid: 'u3' });
  const gone = { ...pod('gone', { node: 'n1' }), status: { phase: 'Succeeded' as const } };
  // Related: p1, p2, a sibling ReplicaSet's pod on n2, a finished pod on n1 (not active).
  assert.deepEqual(podsToDelete([p1, p2], [p1, p2, sibling, gone], 1, t).map((p) => p.metadata.name), ['p2']);
  // A ReplicaSet without a controller has no related pods: equal ranks, the uid decides.
  assert.deepEqual(podsToDelete([p2, p1], [], 1, t).map((p) => p.metadata.name), ['p1']);
  // All of them go: no ranking needed.
  assert.deepEqual(podsToDelete([p2, p1], [], 2, t).map((p) => p.metadata.name), ['p2', 'p1']);
});
