/**
 * HPA status conditions and events with upstream's reasons and messages
 * (pkg/controller/podautoscaler/horizontal.go setCondition / eventRecorder calls).
 *
 * AbleToScale: SucceededGetScale, FailedGetScale, ReadyForNewScale, ScaleUpStabilized,
 *   ScaleDownStabilized, SucceededRescale, FailedUpdateScale.
 * ScalingActive: ValidMetricFound, ScalingDisabled, InvalidSelector, FailedGetResourceMetric,
 *   FailedGetContainerResourceMetric, FailedGetPodsMetric, FailedGetObjectMetric,
 *   FailedGetExternalMetric.
 * ScalingLimited: DesiredWithinRange, ScaleUpLimit, ScaleDownLimit, TooManyReplicas,
 *   TooFewReplicas (status True when the limit changed the count).
 */
import type { HorizontalPodAutoscalerCondition } from './types.js';

export type ConditionType = HorizontalPodAutoscalerCondition['type'];

export interface HpaEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** setConditionInList: replaces the condition of that type in place, or appends it. */
export function setCondition(
  conditions: HorizontalPodAutoscalerCondition[],
  type: ConditionType,
  status: HorizontalPodAutoscalerCondition['status'],
  reason: string,
  message: string,
): void {
  const existing = conditions.find((c) => c.type === type);
  if (existing) Object.assign(existing, { status, reason, message });
  else conditions.push({ type, status, reason, message });
}

/** The SuccessfulRescale event: `New size: 7; reason: cpu resource utilization (percentage of request) above target`. */
export function successfulRescale(desiredReplicas: number, reason: string): HpaEvent {
  return { type: 'Normal', reason: 'SuccessfulRescale', message: `New size: ${desiredReplicas}; reason: ${reason}` };
}

/** The rescale reason of a scale-up: the metric with the highest proposal, "above target". */
export function aboveTarget(metricName: string): string {
  return `${metricName} above target`;
}

export const ALL_METRICS_BELOW_TARGET = 'All metrics below target';
export const ABOVE_MAX_REPLICAS = 'Current number of replicas above Spec.MaxReplicas';
export const BELOW_MIN_REPLICAS = 'Current number of replicas below Spec.MinReplicas';

/** getUnableComputeReplicaCountCondition's message. */
export function unableToCompute(error: string): string {
  return `the HPA was unable to compute the replica count: ${error}`;
}
