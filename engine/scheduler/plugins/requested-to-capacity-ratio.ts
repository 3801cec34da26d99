/**
 * RequestedToCapacityRatio scoring strategy of NodeResourcesFit: a broken-linear function of
 * utilization (requested * 100 / allocatable, integer division, clamped to [0, 100]) given by
 * shape points {utilization, score 0..10}; scores are scaled by 100 / 10. Resources scoring 0
 * are left out of the weighted mean, which is rounded (math.Round).
 * Upstream: pkg/scheduler/framework/plugins/noderesources/requested_to_capacity_ratio.go and
 * pkg/scheduler/framework/plugins/helper/shape_score.go (BuildBrokenLinearFunction)
 */
import { MAX_NODE_SCORE } from '../types.js';
import type { ResourceSpec } from './resource-allocation.js';

export const MAX_CUSTOM_PRIORITY_SCORE = 10;
const MAX_UTILIZATION = 100;

export interface UtilizationShapePoint {
  utilization: number;
  score: number;
}

/** Go's int64 division truncates toward zero; slopes may be negative. */
export function brokenLinearFunction(shape: readonly UtilizationShapePoint[]): (p: number) => number {
  return (p) => {
    for (let i = 0; i < shape.length; i++) {
      if (p <= shape[i]!.utilization) {
        if (i === 0) return shape[0]!.score;
        const a = shape[i - 1]!;
        const b = shape[i]!;
        return a.score + Math.trunc(((b.score - a.score) * (p - a.utilization)) / (b.utilization - a.utilization));
      }
    }
    return shape[shape.length - 1]!.score;
  };
}

function scaledUtilization(requested: number, capacity: number): number {
  if (capacity <= 0 || requested <= 0) return 0;
  if (requested >= capacity) return MAX_UTILIZATION;
  return Math.trunc((requested * MAX_UTILIZATION) / capacity);
}

export function requestedToCapacityRatioScorer(resources: readonly ResourceSpec[], shape: readonly UtilizationShapePoint[]) {
  const scaled = shape.map((p) => ({ utilization: p.utilization, score: p.score * (MAX_NODE_SCORE / MAX_CUSTOM_PRIORITY_SCORE) }));
  const raw = brokenLinearFunction(scaled);
  const resourceScore = (requested: number, capacity: number): number =>
    capacity === 0 || requested > capacity ? raw(MAX_UTILIZATION) : raw(scaledUtilization(requested, capacity));
  return (requested: readonly number[], allocatable: readonly number[]): number => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const weight = resources[i]!.weight;
      const s = resourceScore(requested[i]!, allocatable[i]!);
      if (s > 0) {
        nodeScore += s * weight;
        weightSum += weight;
      }
    }
    return weightSum === 0 ? 0 : goRound(nodeScore / weightSum);
  };
}

/** math.Round: half away from zero. */
export function goRound(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}
