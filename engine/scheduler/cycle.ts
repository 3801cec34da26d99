/**
 * Pieces of one scheduling cycle that are pure functions of their inputs
 * (pkg/scheduler/schedule_one.go and pkg/scheduler/framework/types.go):
 * how many feasible nodes to look for, the FitError message, and host selection.
 */
import type { Rng } from '../core/rng.js';
import type { Status } from './types.js';

/** minFeasibleNodesToFind and minFeasibleNodesPercentageToFind (schedule_one.go). */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/**
 * numFeasibleNodesToFind: every node below 100 nodes; otherwise the profile's (else the
 * global) percentageOfNodesToScore, or the adaptive default 50 - nodes/125 (at least 5%),
 * never fewer than 100 nodes. Integer arithmetic throughout.
 */
export function numFeasibleNodesToFind(numAllNodes: number, percentage: number | undefined): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let p = percentage ?? 0;
  if (p === 0) {
    p = 50 - Math.trunc(numAllNodes / 125);
    if (p < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) p = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  const n = Math.trunc((numAllNodes * p) / 100);
  return n < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : n;
}

/**
 * FitError.Error(): "0/N nodes are available: " then either the PreFilter message or the
 * histogram of node failure reasons as "<count> <reason>" strings sorted as strings
 * (sortReasonsHistogram), then ".".
 */
export function fitErrorMessage(numAllNodes: number, statuses: ReadonlyMap<string, Status>, preFilterMessage?: string): string {
  if (preFilterMessage) return `0/${numAllNodes} nodes are available: ${preFilterMessage}.`;
  const histogram = new Map<string, number>();
  for (const status of statuses.values()) for (const r of status.reasons) histogram.set(r, (histogram.get(r) ?? 0) + 1);
  const parts = [...histogram].map(([reason, n]) => `${n} ${reason}`).sort();
  return `0/${numAllNodes} nodes are available: ${parts.join(', ')}.`;
}

/** selectHost: the highest total score; ties broken uniformly at random (upstream: reservoir sampling). */
export function selectHost(totals: ArrayLike<number>, rng: Rng): number {
  let best = -Infinity;
  let ties = 0;
  let chosen = -1;
  for (let i = 0; i < totals.length; i++) {
    const t = totals[i]!;
    if (t > best) {
      best = t;
      ties = 1;
      chosen = i;
    } else if (t === best) ties++;
  }
  if (ties <= 1) return chosen;
  let k = rng.int(ties);
  for (let i = 0; i < totals.length; i++) if (totals[i] === best && k-- === 0) return i;
  return chosen;
}
