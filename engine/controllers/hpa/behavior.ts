/**
 * From a raw recommendation to the replica count the HPA writes, as
 * pkg/controller/podautoscaler/horizontal.go does it:
 *
 * - without `spec.behavior` (the legacy path): the highest recommendation of the last
 *   --horizontal-pod-autoscaler-downscale-stabilization window (stabilizeRecommendation), then
 *   [minReplicas, min(maxReplicas, max(2 * current, 4))] (convertDesiredReplicasWithRules);
 * - with `spec.behavior`: the recommendation is held between the lowest recommendation of the
 *   scale-up window and the highest of the scale-down window
 *   (stabilizeRecommendationWithBehaviors), then limited by the Pods/Percent policies over the
 *   scale events of each policy's period, selected with Max, Min or Disabled
 *   (convertDesiredReplicasWithBehaviorRate), then by [minReplicas, maxReplicas].
 *
 * Every time comparison is strict, as Go's time.Before/After are. The stored recommendation
 * (or scale event) replaces the last one that fell out of every window, in place, so the
 * lists keep upstream's order.
 */
import type {
  HPAScalingRules,
  HorizontalPodAutoscalerBehavior,
  HpaHistory,
  ScalingPolicySelect,
  TimestampedScaleEvent,
} from './types.js';

/** horizontal.go scaleUpLimitFactor / scaleUpLimitMinimum (the legacy path's rate limit). */
export const SCALE_UP_LIMIT_FACTOR = 2.0;
export const SCALE_UP_LIMIT_MINIMUM = 4.0;

const MAX_INT32 = 2147483647;
const MIN_INT32 = -2147483648;

/** Scaling rules with every field filled, as the apiserver's defaulting leaves them. */
export interface ScalingRules {
  stabilizationWindowSeconds: number;
  selectPolicy: ScalingPolicySelect;
  policies: { type: 'Pods' | 'Percent'; value: number; periodSeconds: number }[];
}

/**
 * SetDefaults_HorizontalPodAutoscalerBehavior (pkg/apis/autoscaling/v2/defaults.go): scale-up
 * 0 s window, Max of 4 pods and 100% per 15 s; scale-down Max of 100% per 15 s, its window
 * from --horizontal-pod-autoscaler-downscale-stabilization when unset
 * (maybeInitScaleDownStabilizationWindow).
 */
export function defaultBehavior(behavior: HorizontalPodAutoscalerBehavior, downscaleStabilization: number): { scaleUp: ScalingRules; scaleDown: ScalingRules } {
  const fill = (from: HPAScalingRules | undefined, window: number, policies: ScalingRules['policies']): ScalingRules => ({
    stabilizationWindowSeconds: from?.stabilizationWindowSeconds ?? window,
    selectPolicy: from?.selectPolicy ?? 'Max',
    policies: from?.policies ? from.policies.map((p) => ({ ...p })) : policies,
  });
  return {
    scaleUp: fill(behavior.scaleUp, 0, [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ]),
    scaleDown: fill(behavior.scaleDown, Math.trunc(downscaleStabilization), [{ type: 'Percent', value: 100, periodSeconds: 15 }]),
  };
}

/** recordInitialRecommendation: a new controller's memory starts at the current size. */
export function recordInitialRecommendation(history: HpaHistory, currentReplicas: number, now: number): void {
  history.recommendations ??= [{ replicas: currentReplicas, timestamp: now }];
}

/** stabilizeRecommendation (legacy): the max over the downscale window; stores the new one. */
export function stabilizeRecommendation(history: HpaHistory, prenormalized: number, downscaleStabilization: number, now: number): number {
  let maxRecommendation = prenormalized;
  let oldSampleIndex = -1;
  const cutoff = now - downscaleStabilization;
  const recs = (history.recommendations ??= []);
  recs.forEach((rec, i) => {
    if (rec.timestamp < cutoff) oldSampleIndex = i;
    else if (rec.replicas > maxRecommendation) maxRecommendation = rec.replicas;
  });
  const entry = { replicas: prenormalized, timestamp: now };
  if (oldSampleIndex >= 0) recs[oldSampleIndex] = entry;
  else recs.push(entry);
  return maxRecommendation;
}

export interface Limited {
  replicas: number;
  /** ScalingLimited reason: DesiredWithinRange, ScaleUpLimit, ScaleDownLimit, TooManyReplicas, TooFewReplicas. */
  reason: string;
  message: string;
}

const WITHIN_RANGE: Omit<Limited, 'replicas'> = { reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
const TOO_MANY = { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
const TOO_FEW = { reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
const UP_LIMIT = { reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' };
const DOWN_LIMIT = { reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' };

/** calculateScaleUpLimit (legacy): int32(max(2 * current, 4)). */
export function calculateScaleUpLimit(currentReplicas: number): number {
  return Math.trunc(Math.max(SCALE_UP_LIMIT_FACTOR * currentReplicas, SCALE_UP_LIMIT_MINIMUM));
}

/** convertDesiredReplicasWithRules (legacy path). */
export function convertDesiredReplicasWithRules(currentReplicas: number, desiredReplicas: number, minReplicas: number, maxReplicas: number): Limited {
  const scaleUpLimit = calculateScaleUpLimit(currentReplicas);
  const [maximumAllowed, limit] = maxReplicas > scaleUpLimit ? [scaleUpLimit, UP_LIMIT] : [maxReplicas, TOO_MANY];
  if (desiredReplicas < minReplicas) return { replicas: minReplicas, ...TOO_FEW };
  if (desiredReplicas > maximumAllowed) return { replicas: maximumAllowed, ...limit };
  return { replicas: desiredReplicas, ...WITHIN_RANGE };
}

/** getReplicasChangePerPeriod: the replicas changed by events strictly inside the last period. */
export function getReplicasChangePerPeriod(periodSeconds: number, events: readonly TimestampedScaleEvent[], now: number): number {
  const cutoff = now - periodSeconds;
  let replicas = 0;
  for (const e of events) if (e.timestamp > cutoff) replicas += e.replicaChange;
  return replicas;
}

/** The size at the start of a policy's period: now, less what was added, plus what was removed within it. */
function replicasAtPeriodStart(
  currentReplicas: number,
  periodSeconds: number,
  scaleUpEvents: readonly TimestampedScaleEvent[],
  scaleDownEvents: readonly TimestampedScaleEvent[],
  now: number,
): number {
  return currentReplicas - getReplicasChangePerPeriod(periodSeconds, scaleUpEvents, now) + getReplicasChangePerPeriod(periodSeconds, scaleDownEvents, now);
}

/** calculateScaleUpLimitWithScalingRules: the most replicas the policies allow now. */
export function calculateScaleUpLimitWithScalingRules(
  currentReplicas: number,
  scaleUpEvents: readonly TimestampedScaleEvent[],
  scaleDownEvents: readonly TimestampedScaleEvent[],
  rules: ScalingRules,
  now: number,
): number {
  return limitWithScalingRules('up', currentReplicas, scaleUpEvents, scaleDownEvents, rules, now);
}

/** calculateScaleDownLimitWithBehaviors: the fewest replicas the policies allow now. */
export function calculateScaleDownLimitWithBehaviors(
  currentReplicas: number,
  scaleUpEvents: readonly TimestampedScaleEvent[],
  scaleDownEvents: readonly TimestampedScaleEvent[],
  rules: ScalingRules,
  now: number,
): number {
  return limitWithScalingRules('down', currentReplicas, scaleUpEvents, scaleDownEvents, rules, now);
}

/**
 * Upstream's two functions differ only in the direction of each policy's step and in what Min
 * and Max select: Min is the smallest change, so the smallest limit scaling up and the largest
 * scaling down.
 */
function limitWithScalingRules(
  direction: 'up' | 'down',
  currentReplicas: number,
  scaleUpEvents: readonly TimestampedScaleEvent[],
  scaleDownEvents: readonly TimestampedScaleEvent[],
  rules: ScalingRules,
  now: number,
): number {
  if (rules.selectPolicy === 'Disabled') return currentReplicas;
  const smallest = (rules.selectPolicy === 'Min') === (direction === 'up');
  const select = smallest ? Math.min : Math.max;
  let result = smallest ? MAX_INT32 : MIN_INT32;
  for (const policy of rules.policies) {
    const start = replicasAtPeriodStart(currentReplicas, policy.periodSeconds, scaleUpEvents, scaleDownEvents, now);
    let proposed: number;
    if (policy.type === 'Pods') proposed = direction === 'up' ? start + policy.value : start - policy.value;
    // Scaling up, Percent rounds up, or a small target could never grow; scaling down,
    // int32(float64(start) * (1 - value/100)) truncates toward zero.
    else proposed = direction === 'up' ? Math.ceil(start * (1 + policy.value / 100)) : Math.trunc(start * (1 - policy.value / 100));
    result = select(result, proposed);
  }
  return result;
}

export interface Stabilized {
  replicas: number;
  /** ScaleUpStabilized / ScaleDownStabilized, for the AbleToScale condition. */
  reason: string;
  message: string;
}

/** stabilizeRecommendationWithBehaviors: within [min of up window, max of down window]; stores the new one. */
export function stabilizeRecommendationWithBehaviors(
  history: HpaHistory,
  currentReplicas: number,
  desiredReplicas: number,
  scaleUp: ScalingRules,
  scaleDown: ScalingRules,
  now: number,
): Stabilized {
  let upRecommendation = desiredReplicas;
  const upCutoff = now - scaleUp.stabilizationWindowSeconds;
  let downRecommendation = desiredReplicas;
  const downCutoff = now - scaleDown.stabilizationWindowSeconds;
  let oldSampleIndex = -1;
  const recs = (history.recommendations ??= []);
  recs.forEach((rec, i) => {
    if (rec.timestamp > upCutoff) upRecommendation = Math.min(rec.replicas, upRecommendation);
    if (rec.timestamp > downCutoff) downRecommendation = Math.max(rec.replicas, downRecommendation);
    if (rec.timestamp < upCutoff && rec.timestamp < downCutoff) oldSampleIndex = i;
  });
  let recommendation = currentReplicas;
  if (recommendation < upRecommendation) recommendation = upRecommendation;
  if (recommendation > downRecommendation) recommendation = downRecommendation;
  const entry = { replicas: desiredReplicas, timestamp: now };
  if (oldSampleIndex >= 0) recs[oldSampleIndex] = entry;
  else recs.push(entry);
  return desiredReplicas >= currentReplicas
    ? { replicas: recommendation, reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' }
    : { replicas: recommendation, reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' };
}

/** convertDesiredReplicasWithBehaviorRate: the policies' rate limit, then min/max replicas. */
export function convertDesiredReplicasWithBehaviorRate(
  history: HpaHistory,
  currentReplicas: number,
  desiredReplicas: number,
  minReplicas: number,
  maxReplicas: number,
  scaleUp: ScalingRules,
  scaleDown: ScalingRules,
  now: number,
): Limited {
  if (desiredReplicas > currentReplicas) {
    // Never below the current size while earlier scale-ups still count against the policy.
    const scaleUpLimit = Math.max(currentReplicas, calculateScaleUpLimitWithScalingRules(currentReplicas, history.scaleUpEvents, history.scaleDownEvents, scaleUp, now));
    const [maximumAllowed, limit] = maxReplicas > scaleUpLimit ? [scaleUpLimit, UP_LIMIT] : [maxReplicas, TOO_MANY];
    if (desiredReplicas > maximumAllowed) return { replicas: maximumAllowed, ...limit };
  } else if (desiredReplicas < currentReplicas) {
    const scaleDownLimit = Math.min(currentReplicas, calculateScaleDownLimitWithBehaviors(currentReplicas, history.scaleUpEvents, history.scaleDownEvents, scaleDown, now));
    const [minimumAllowed, limit] = minReplicas < scaleDownLimit ? [scaleDownLimit, DOWN_LIMIT] : [minReplicas, TOO_FEW];
    if (desiredReplicas < minimumAllowed) return { replicas: minimumAllowed, ...limit };
  }
  return { replicas: desiredReplicas, ...WITHIN_RANGE };
}

function longestPolicyPeriod(rules: ScalingRules): number {
  let longest = 0;
  for (const p of rules.policies) if (p.periodSeconds > longest) longest = p.periodSeconds;
  return longest;
}

/**
 * storeScaleEvent: records a rescale (only with behavior). Events older than the direction's
 * longest policy period are marked outdated; the last outdated one is overwritten in place.
 */
export function storeScaleEvent(
  history: HpaHistory,
  rules: { scaleUp: ScalingRules; scaleDown: ScalingRules },
  prevReplicas: number,
  newReplicas: number,
  now: number,
): void {
  const up = newReplicas > prevReplicas;
  const events = up ? history.scaleUpEvents : history.scaleDownEvents;
  const cutoff = now - longestPolicyPeriod(up ? rules.scaleUp : rules.scaleDown);
  let oldSampleIndex = -1;
  events.forEach((e, i) => {
    if (e.timestamp < cutoff) e.outdated = true;
    if (e.outdated) oldSampleIndex = i;
  });
  const event: TimestampedScaleEvent = { replicaChange: up ? newReplicas - prevReplicas : prevReplicas - newReplicas, timestamp: now, outdated: false };
  if (oldSampleIndex >= 0) events[oldSampleIndex] = event;
  else events.push(event);
}
