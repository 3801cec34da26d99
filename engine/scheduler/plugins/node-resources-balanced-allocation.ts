/**
 * NodeResourcesBalancedAllocation: favours nodes whose resource fractions (requested /
 * allocatable, capped at 1, requests as written) would be close to each other:
 * score = int((1 - std) * 100), std = |f1 - f2| / 2 for two resources, the population standard
 * deviation for more. Best-effort pods (requesting nothing) are skipped at PreScore
 * (kubernetes#129138).
 * Upstream: pkg/scheduler/framework/plugins/noderesources/balanced_allocation.go
 */
import { MAX_NODE_SCORE, SKIP, type Plugin } from '../types.js';
import { allocatableAndRequested, allocatableOf, cpuMemoryCodes, DEFAULT_RESOURCES, podRequestList, requestedOf, type ResourceSpec } from './resource-allocation.js';

export interface NodeResourcesBalancedAllocationArgs {
  resources?: ResourceSpec[];
}

export function balancedResourceScorer(requested: readonly number[], allocatable: readonly number[]): number {
  // Two passes over the resources instead of a list of fractions: nothing allocated per node.
  let count = 0;
  let total = 0;
  let f0 = 0;
  let f1 = 0;
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue;
    const f = Math.min(requested[i]! / allocatable[i]!, 1);
    total += f;
    if (count === 0) f0 = f;
    else if (count === 1) f1 = f;
    count++;
  }
  let std = 0;
  if (count === 2) std = Math.abs((f0 - f1) / 2);
  else if (count > 2) {
    const mean = total / count;
    let sum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const f = Math.min(requested[i]! / allocatable[i]!, 1);
      sum += (f - mean) * (f - mean);
    }
    std = Math.sqrt(sum / count);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

export function nodeResourcesBalancedAllocation(args: NodeResourcesBalancedAllocationArgs = {}): Plugin {
  const resources = args.resources ?? DEFAULT_RESOURCES;
  const KEY = 'PreScoreNodeResourcesBalancedAllocation';
  const codes = cpuMemoryCodes(resources);
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
    scoreNodes(state, pod, nodes, scores) {
      const podRequests = state.read<number[]>(KEY) ?? podRequestList(pod, resources, true);
      const none = podRequests.every((r) => r === 0);
      if (!none && codes && codes.length === 2) {
        // balancedResourceScorer over allocatableAndRequested, inlined for two of cpu/memory.
        const c0 = codes[0]!;
        const c1 = codes[1]!;
        const p0 = podRequests[0]!;
        const p1 = podRequests[1]!;
        for (let i = 0; i < nodes.length; i++) {
          const node = nodes[i]!;
          const a0 = allocatableOf(node, c0);
          const a1 = allocatableOf(node, c1);
          let std = 0;
          if (a0 !== 0 && a1 !== 0) {
            const f0 = Math.min((requestedOf(node, c0, true) + p0) / a0, 1);
            const f1 = Math.min((requestedOf(node, c1, true) + p1) / a1, 1);
            std = Math.abs((f0 - f1) / 2);
          }
          scores[i] = Math.trunc((1 - std) * MAX_NODE_SCORE);
        }
        return;
      }
      for (let i = 0; i < nodes.length; i++) {
        if (none) scores[i] = 0;
        else {
          allocatableAndRequested(nodes[i]!, resources, podRequests, true, allocatable, requested);
          scores[i] = balancedResourceScorer(requested, allocatable);
        }
      }
    },
  };
}
