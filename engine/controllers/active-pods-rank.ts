/**
 * Which pods a ReplicaSet deletes when it has too many (replica_set.go getPodsToDelete and
 * getPodsRankedByRelatedPodsOnSameNode; pkg/controller/controller_utils.go
 * ActivePodsWithRanks.Less, with LogarithmicScaleDown (GA, locked on, since 1.31) and
 * PodDeletionCost (beta, on by default, since 1.22)). The first pods in this order go first:
 *  1. unassigned before assigned;
 *  2. Pending before Unknown before Running;
 *  3. not ready before ready;
 *  4. lower `controller.kubernetes.io/pod-deletion-cost` before higher (absent or invalid: 0);
 *  5. higher rank before lower: the rank of a pod is the number of active related pods on its
 *     node, the related pods being those selected by any ReplicaSet of the same controller
 *     (getIndirectlyRelatedPods: all of a Deployment's ReplicaSets); a ReplicaSet without a
 *     controller has no related pods, so every rank is 0;
 *  6. both ready: ready for less time first, on a logarithmic scale: the pods' ready times are
 *     compared by floor(log2(nanoseconds since)), and pods in the same bucket by uid (the
 *     pseudo-random order upstream intends; uids here are counters, so the older uid goes first);
 *  7. more container restarts first;
 *  8. newer first, by creation time, on the same logarithmic scale with the same uid tie-break.
 * Timestamps are compared as the API serializes them, in whole seconds (metav1.Time); "now" is
 * the controller's clock, unrounded. Pods still equal keep name order (upstream's sort.Sort is
 * not stable; the name makes the choice deterministic).
 */
import { matchesSelector } from '../api/labels.js';
import { apiTime } from '../api/meta-time.js';
import { controllerOf } from '../api/owners.js';
import { isPodActive, isPodReady } from '../api/pod-lifecycle.js';
import type { ApiServer } from '../api/store.js';
import type { Pod, ReplicaSet } from '../api/types.js';

export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** helper.GetDeletionCostFromPodAnnotations: an int32 without a plus sign or leading zeros, else 0. */
export function deletionCost(pod: Pod): number {
  const value = pod.metadata.annotations?.[POD_DELETION_COST_ANNOTATION];
  if (value === undefined || !/^(0|-?[1-9][0-9]*)$/.test(value)) return 0;
  const n = Number(value);
  return n >= -(2 ** 31) && n < 2 ** 31 ? n : 0;
}

function readyTime(pod: Pod): number | undefined {
  if (!isPodReady(pod)) return undefined;
  return apiTime(pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True')?.lastTransitionTime);
}

function maxContainerRestarts(pod: Pod): number {
  let max = 0;
  for (const c of pod.status?.containerStatuses ?? []) max = Math.max(max, c.restartCount ?? 0);
  return max;
}

/** logarithmicRankDiff's rank of one timestamp: floor(log2(ns since)), -1 if not in the past. */
function logRank(t: number, now: number): number {
  const d = (now - t) * 1e9;
  return d > 0 ? Math.floor(Math.log2(d)) : -1;
}

/**
 * Rules 6 and 8: negative if a goes first. afterOrZero when a time is missing (the zero time
 * goes first), else the logarithmic buckets, then the uids.
 */
function compareTimes(a: Pod, ta: number | undefined, b: Pod, tb: number | undefined, now: number): number {
  if (ta === tb) return 0;
  if (ta === undefined) return -1;
  if (tb === undefined) return 1;
  const diff = logRank(ta, now) - logRank(tb, now);
  if (diff !== 0) return diff;
  const ua = a.metadata.uid ?? '';
  const ub = b.metadata.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

/**
 * ActivePodsWithRanks.Less as a comparator: negative when a should be deleted before b, 0 when
 * neither Less(a, b) nor Less(b, a).
 */
export function compareActivePods(a: Pod, rankA: number, b: Pod, rankB: number, now: number): number {
  const nodeA = a.spec.nodeName ?? '';
  const nodeB = b.spec.nodeName ?? '';
  if (nodeA !== nodeB && (nodeA === '' || nodeB === '')) return nodeA === '' ? -1 : 1;
  const phaseA = PHASE_ORDINAL[a.status?.phase ?? ''] ?? 0;
  const phaseB = PHASE_ORDINAL[b.status?.phase ?? ''] ?? 0;
  if (phaseA !== phaseB) return phaseA - phaseB;
  const readyA = isPodReady(a);
  const readyB = isPodReady(b);
  if (readyA !== readyB) return readyA ? 1 : -1;
  const costA = deletionCost(a);
  const costB = deletionCost(b);
  if (costA !== costB) return costA - costB;
  if (rankA !== rankB) return rankB - rankA;
  if (readyA && readyB) {
    const byReady = compareTimes(a, readyTime(a), b, readyTime(b), now);
    if (byReady !== 0) return byReady;
  }
  const restartsA = maxContainerRestarts(a);
  const restartsB = maxContainerRestarts(b);
  if (restartsA !== restartsB) return restartsB - restartsA;
  return compareTimes(a, apiTime(a.metadata.creationTimestamp), b, apiTime(b.metadata.creationTimestamp), now);
}

function byName(a: Pod, b: Pod): number {
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/**
 * The pods in deletion order, each ranked by the active `related` pods on its node
 * (getPodsRankedByRelatedPodsOnSameNode).
 */
export function rankForDeletion(pods: readonly Pod[], related: readonly Pod[], now: number): Pod[] {
  const onNode = new Map<string, number>();
  for (const p of related) if (isPodActive(p)) onNode.set(p.spec.nodeName ?? '', (onNode.get(p.spec.nodeName ?? '') ?? 0) + 1);
  const ranked = pods.map((pod) => ({ pod, rank: onNode.get(pod.spec.nodeName ?? '') ?? 0 }));
  ranked.sort((x, y) => compareActivePods(x.pod, x.rank, y.pod, y.rank, now) || byName(x.pod, y.pod));
  return ranked.map((r) => r.pod);
}

/** getPodsToDelete: all of them without sorting when all go, else the first `diff` in rank order. */
export function podsToDelete(filtered: readonly Pod[], related: readonly Pod[], diff: number, now: number): Pod[] {
  if (diff >= filtered.length) return filtered.slice(0, diff);
  return rankForDeletion(filtered, related, now).slice(0, diff);
}

/**
 * getIndirectlyRelatedPods: the pods selected by any ReplicaSet with the same controller as
 * `rs` (itself included), whoever owns them, each once; none when `rs` has no controller.
 */
export function indirectlyRelatedPods(api: ApiServer, rs: ReplicaSet): Pod[] {
  const owner = controllerOf(rs.metadata);
  if (!owner) return [];
  const namespace = rs.metadata.namespace;
  const pods = api.list('Pod', namespace);
  const seen = new Set<string>();
  const related: Pod[] = [];
  for (const sibling of api.list('ReplicaSet', namespace)) {
    if (controllerOf(sibling.metadata)?.uid !== owner.uid) continue;
    for (const pod of pods) {
      if (seen.has(pod.metadata.uid!) || !matchesSelector(sibling.spec.selector, pod.metadata.labels)) continue;
      seen.add(pod.metadata.uid!);
      related.push(pod);
    }
  }
  return related;
}
