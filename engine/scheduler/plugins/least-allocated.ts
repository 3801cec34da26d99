/**
 * LeastAllocated scoring strategy of NodeResourcesFit: per resource
 * (allocatable - requested) * 100 / allocatable (integer division, 0 when over-requested),
 * then the weighted mean over resources, integer division.
 * Upstream: pkg/scheduler/framework/plugins/noderesources/least_allocated.go
 */
import { MAX_NODE_SCORE } from '../types.js';
import { weightedResourceScorer, type ResourceSpec } from './resource-allocation.js';

export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

export function leastResourceScorer(resources: readonly ResourceSpec[]) {
  return weightedResourceScorer(resources, leastRequestedScore);
}
