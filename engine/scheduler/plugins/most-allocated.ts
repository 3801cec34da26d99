/**
 * MostAllocated scoring strategy of NodeResourcesFit (bin packing): per resource
 * requested * 100 / allocatable (requested capped at allocatable), integer division, then the
 * weighted mean, integer division.
 * Upstream: pkg/scheduler/framework/plugins/noderesources/most_allocated.go
 */
import { MAX_NODE_SCORE } from '../types.js';
import { weightedResourceScorer, type ResourceSpec } from './resource-allocation.js';

export function mostRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  // Over-requested nodes (possible with non-zero defaults) score as full, not above it.
  if (requested > capacity) requested = capacity;
  return Math.trunc((requested * MAX_NODE_SCORE) / capacity);
}

export function mostResourceScorer(resources: readonly ResourceSpec[]) {
  return weightedResourceScorer(resources, mostRequestedScore);
}
