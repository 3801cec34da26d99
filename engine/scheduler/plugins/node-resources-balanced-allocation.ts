/**
 * NodeResourcesBalancedAllocation: favours nodes whose resource fractions (requested /
 * allocatable, capped at 1, requests as written) would be close to each other:
 * score = int((1 - std) * 100), std = |f1 - f2| / 2 for two resources, the population standard
 * deviation for more. Best-effort pods (requesting nothing) are skipped at PreScore
 * (kubernetes#129138).
 * Upstream: pkg/scheduler/framework/plugins/noderesources/balanced_allocation.go
 */
import { MAX_NODE_SCORE, SKIP, type Plugin } from '../types.js';
import { allocatableAndRequested, DEFAULT_RESOURCES, podRequestList, type ResourceSpec } from './resource-allocation.js';

export interface NodeResourcesBalancedAllocationArgs {
  resources?: ResourceSpec[];
}

export function balancedResourceScorer(requested: readonly number[], allocatable: readonly number[]): number {
  const fractions: number[] = [];
  let total = 0;
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue;
    const f = Math.min(requested[i]! / allocatable[i]!, 1);
    total += f;
    fractions.push(f);
  }
  let std = 0;
  if (fractions.length === 2) std = Math.abs((fractions[0]! - fractions[1]!) / 2);
  else if (fractions.length > 2) {
    const mean = total / fractions.length;
    let sum = 0;
    for (const f of fractions) sum += (f - mean) * (f - mean);
    std = Math.sqrt(sum / fractions.length);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

export function nodeResourcesBalancedAllocation(args: NodeResourcesBalancedAllocationArgs = {}): Plugin {
  const resources = args.resources ?? DEFAULT_RESOURCES;
  const KEY = 'PreScoreNodeResourcesBalancedAllocation';
  const allocatable = new Array<number>(resources.length).fill(0);
  const requested = new Array<number>(resources.length).fill(0);
  return {
    name: 'NodeResourcesBalancedAllocation',
    preScore(state, pod) {
      const podRequests = podRequestList(pod, resources, true);
      if (podRequests.every((r) => r === 0)) return SKIP;
      state.write(KEY, podRequests);
      return null;
    },
    score(state, pod, node) {
      const podRequests = state.read<number[]>(KEY) ?? podRequestList(pod, resources, true);
      if (podRequests.every((r) => r === 0)) return 0;
      allocatableAndRequested(node, resources, podRequests, true, allocatable, requested);
      return balancedResourceScorer(requested, allocatable);
    },
  };
}
