/**
 * Stabilization and rate limits, transcribed from upstream
 * pkg/controller/podautoscaler/horizontal_test.go (TestNormalizeDesiredReplicas,
 * TestScalingWithRules; each case keeps its upstream name) and the worked examples of the
 * kubernetes.io HPA page (concepts/workloads/autoscaling/horizontal-pod-autoscale, "Scaling
 * policies").
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  calculateScaleDownLimitWithBehaviors,
  calculateScaleUpLimitWithScalingRules,
  convertDesiredReplicasWithBehaviorRate,
  convertDesiredReplicasWithRules,
  defaultBehavior,
  stabilizeRecommendation,
  storeScaleEvent,
  type ScalingRules,
} from '../../../engine/controllers/hpa/behavior.js';
import type { HpaHistory, TimestampedScaleEvent } from '../../../engine/controllers/hpa/types.js';

const NOW = 1_000_000;
const min = (m: number) => NOW - m * 60;

function history(recommendations: HpaHistory['recommendations'] = [], scaleUpEvents: TimestampedScaleEvent[] = []): HpaHistory {
  return { recommendations, scaleUpEvents, scaleDownEvents: [] };
}

test('TestNormalizeDesiredReplicas (legacy stabilization over 5m)', () => {
  const cases: [string, [number, number][], number, number, number][] = [
    ['empty log', [], 5, 5, 1],
    ['stabilize', [[4, min(2)], [5, min(1)]], 3, 5, 3],
    ['no stabilize', [[1, min(2)], [2, min(1)]], 3, 3, 3],
    ['no stabilize - old recommendations', [[10, min(10)], [9, min(9)]], 3, 3, 2],
    ['stabilize - old recommendations', [[10, min(10)], [4, min(1)], [5, min(2)], [9, min(9)]], 3, 5, 4],
  ];
  for (const [name, recs, prenormalized, expected, logLength] of cases) {
    const h = history(recs.map(([replicas, timestamp]) => ({ replicas, timestamp })));
    assert.equal(stabilizeRecommendation(h, prenormalized, 300, NOW), expected, name);
    assert.equal(h.recommendations!.length, logLength, name);
  }
});

test('stabilizeRecommendation overwrites the last old entry in place (upstream stored order)', () => {
  const h = history([
    { replicas: 10, timestamp: min(10) },
    { replicas: 4, timestamp: min(1) },
    { replicas: 9, timestamp: min(9) },
  ]);
  stabilizeRecommendation(h, 3, 300, NOW);
  assert.deepEqual(h.recommendations, [
    { replicas: 10, timestamp: min(10) },
    { replicas: 4, timestamp: min(1) },
    { replicas: 3, timestamp: NOW },
  ]);
});

/** horizontal_test.go generateScalingRules. */
function rules(pods: number, podsPeriod: number, percent: number, percentPeriod: number, window: number): ScalingRules {
  const policies: ScalingRules['policies'] = [];
  if (pods !== 0) policies.push({ type: 'Pods', value: pods, periodSeconds: podsPeriod });
  if (percent !== 0) policies.push({ type: 'Percent', value: percent, periodSeconds: percentPeriod });
  return { stabilizationWindowSeconds: window, selectPolicy: 'Max', policies };
}

/** horizontal_test.go generateEventsUniformDistribution: events centred in equal segments of the last period. */
function uniformEvents(changes: number[], periodSeconds: number): TimestampedScaleEvent[] {
  const segment = periodSeconds / changes.length;
  return changes.map((replicaChange, i) => ({ replicaChange, timestamp: NOW - (periodSeconds - segment * (i + 1) + segment / 2) }));
}

test('TestScalingWithRules', () => {
  const defaults = defaultBehavior({}, 300);
  const cases: { name: string; min: number; max: number; current: number; desired: number; up?: ScalingRules; down?: ScalingRules; upEvents?: TimestampedScaleEvent[]; expected: number; condition: string }[] = [
    { name: 'prenormalized desired replicas within range', current: 5, desired: 7, min: 3, max: 8, expected: 7, condition: 'DesiredWithinRange' },
    { name: 'prenormalized desired replicas < minReplicas', current: 3, desired: 1, min: 2, max: 8, expected: 2, condition: 'TooFewReplicas' },
    { name: 'prenormalized desired replicas within range when minReplicas is 0', current: 1, desired: 0, min: 0, max: 10, expected: 0, condition: 'DesiredWithinRange' },
    { name: 'maxReplicas is the limit because maxReplicas < scaleUpLimit', current: 20, desired: 1000, min: 1, max: 10, expected: 10, condition: 'TooManyReplicas' },
    { name: 'desired replica count is more than the maximum replica count', current: 100, desired: 1000, min: 100, max: 150, expected: 150, condition: 'TooManyReplicas' },
    { name: 'scaleUpLimit is the limit because scaleUpLimit < maxReplicas with user policies', current: 3, desired: 1000, min: 1, max: 2000, up: rules(0, 0, 1, 60, 0), expected: 4, condition: 'ScaleUpLimit' },
    { name: 'scaleDownLimit is the limit because scaleDownLimit > minReplicas with user defined policies', current: 1000, desired: 3, min: 3, max: 2000, down: rules(20, 60, 0, 0, 0), expected: 980, condition: 'ScaleDownLimit' },
    { name: 'scaleUp with default behavior', min: 1, max: 1000, current: 10, desired: 50, expected: 20, condition: 'ScaleUpLimit' },
    { name: 'scaleUp with pods policy larger than percent policy', min: 1, max: 1000, up: rules(100, 60, 100, 60, 0), current: 10, desired: 500, expected: 110, condition: 'ScaleUpLimit' },
    { name: 'scaleUp with percent policy larger than pods policy', min: 1, max: 1000, up: rules(2, 60, 100, 60, 0), current: 10, desired: 500, expected: 20, condition: 'ScaleUpLimit' },
    { name: 'scaleUp with spec MaxReplicas limitation with large pod policy', min: 1, max: 1000, up: rules(100, 60, 0, 0, 0), current: 10, desired: 50, expected: 50, condition: 'DesiredWithinRange' },
    { name: 'scaleUp with pod policy limitation', min: 1, max: 1000, up: rules(30, 60, 0, 0, 0), current: 10, desired: 50, expected: 40, condition: 'ScaleUpLimit' },
    { name: 'scaleUp with percent policy limitation', min: 1, max: 1000, up: rules(0, 0, 200, 60, 0), current: 10, desired: 50, expected: 30, condition: 'ScaleUpLimit' },
    { name: 'scaleDown with percent policy larger than pod policy', min: 1, max: 1000, down: rules(20, 60, 1, 60, 300), current: 100, desired: 2, expected: 80, condition: 'ScaleDownLimit' },
    { name: 'scaleDown with pod policy larger than percent policy', min: 1, max: 1000, down: rules(2, 60, 1, 60, 300), current: 100, desired: 2, expected: 98, condition: 'ScaleDownLimit' },
    { name: 'scaleDown with spec MinReplicas limitation with large pod policy', min: 1, max: 1000, down: rules(100, 60, 0, 0, 300), current: 10, desired: 0, expected: 1, condition: 'TooFewReplicas' },
    { name: 'scaleDown with spec MinReplicas limitation with large percent policy', min: 5, max: 1000, down: rules(0, 0, 100, 60, 300), current: 10, desired: 2, expected: 5, condition: 'TooFewReplicas' },
    { name: 'scaleDown with pod policy limitation', min: 1, max: 1000, down: rules(5, 60, 0, 0, 300), current: 10, desired: 2, expected: 5, condition: 'ScaleDownLimit' },
    { name: 'scaleDown with percent policy limitation', min: 1, max: 1000, down: rules(0, 0, 50, 60, 300), current: 10, desired: 5, expected: 5, condition: 'DesiredWithinRange' },
    { name: 'scaleUp with spec MaxReplicas limitation with large pod policy and events', upEvents: uniformEvents([1, 5, 9], 120), min: 1, max: 200, up: rules(300, 60, 0, 0, 0), current: 100, desired: 500, expected: 200, condition: 'TooManyReplicas' },
    { name: 'scaleUp with currentReplicas limitation with rate.PeriodSeconds with a lot of recent scale up events', upEvents: uniformEvents([1, 5, 9], 120), min: 1, max: 1000, up: rules(5, 120, 0, 0, 0), current: 100, desired: 500, expected: 100, condition: 'ScaleUpLimit' },
    { name: 'scaleUp with pod policy and previous scale up events', upEvents: uniformEvents([1, 5, 9], 120), min: 1, max: 1000, up: rules(150, 120, 0, 0, 0), current: 100, desired: 500, expected: 235, condition: 'ScaleUpLimit' },
  ];
  for (const c of cases) {
    const h = history([], c.upEvents ?? []);
    const r = convertDesiredReplicasWithBehaviorRate(h, c.current, c.desired, c.min, c.max, c.up ?? defaults.scaleUp, c.down ?? defaults.scaleDown, NOW);
    assert.equal(r.replicas, c.expected, c.name);
    assert.equal(r.reason, c.condition, c.name);
  }
});

test('scale-down with selectPolicy Min keeps the smaller change (horizontal_test.go, calculateScaleDownLimitWithBehaviors)', () => {
  const r: ScalingRules = { stabilizationWindowSeconds: 300, selectPolicy: 'Min', policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }, { type: 'Percent', value: 50, periodSeconds: 60 }] };
  assert.equal(calculateScaleDownLimitWithBehaviors(5, [], [], r, NOW), 3);
});

test('selectPolicy Min and Max in both directions (hand-computed: 10 replicas, +4 pods or +100%, -4 pods or -50%)', () => {
  const up = (selectPolicy: 'Min' | 'Max'): ScalingRules => ({ stabilizationWindowSeconds: 0, selectPolicy, policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }, { type: 'Percent', value: 100, periodSeconds: 60 }] });
  const down = (selectPolicy: 'Min' | 'Max'): ScalingRules => ({ stabilizationWindowSeconds: 0, selectPolicy, policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }, { type: 'Percent', value: 50, periodSeconds: 60 }] });
  assert.equal(calculateScaleUpLimitWithScalingRules(10, [], [], up('Min'), NOW), 14, 'Min: 10 + 4');
  assert.equal(calculateScaleUpLimitWithScalingRules(10, [], [], up('Max'), NOW), 20, 'Max: ceil(10 x 2)');
  assert.equal(calculateScaleDownLimitWithBehaviors(10, [], [], down('Min'), NOW), 6, 'Min: 10 - 4');
  assert.equal(calculateScaleDownLimitWithBehaviors(10, [], [], down('Max'), NOW), 5, 'Max: trunc(10 x 0.5)');
});

test('selectPolicy Disabled holds the current size in that direction', () => {
  const up: ScalingRules = { stabilizationWindowSeconds: 0, selectPolicy: 'Disabled', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }] };
  const r = convertDesiredReplicasWithBehaviorRate(history(), 5, 9, 1, 10, up, defaultBehavior({}, 300).scaleDown, NOW);
  assert.deepEqual([r.replicas, r.reason], [5, 'ScaleUpLimit']);
});

test('legacy path: at most max(2 x current, 4), clamped to [min, max] (convertDesiredReplicasWithRules)', () => {
  assert.deepEqual(convertDesiredReplicasWithRules(1, 10, 1, 20).replicas, 4);
  assert.deepEqual(convertDesiredReplicasWithRules(5, 30, 1, 20), { replicas: 10, reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' });
  assert.equal(convertDesiredReplicasWithRules(5, 30, 1, 8).reason, 'TooManyReplicas');
  assert.equal(convertDesiredReplicasWithRules(5, 0, 2, 8).reason, 'TooFewReplicas');
});

test('kubernetes.io scaling policies example: 4 pods or 10% per minute, whichever removes more', () => {
  // "if there are 80 replicas and the target has to be scaled down to 10 replicas then during
  // the first step 8 replicas will be reduced. In the next iteration when the number of replicas
  // is 72, 10% of the pods is 7.2 but the number is rounded up to 8. [...] When the number of
  // replicas falls below 40 the first policy (Pods) is applied and 4 replicas will be reduced."
  const down: ScalingRules = { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }, { type: 'Percent', value: 10, periodSeconds: 60 }] };
  const up = defaultBehavior({}, 300).scaleUp;
  const h = history();
  let current = 80;
  const seen: number[] = [];
  for (let step = 0; step < 3; step++) {
    const now = NOW + step * 61;
    const r = convertDesiredReplicasWithBehaviorRate(h, current, 10, 1, 100, up, down, now);
    storeScaleEvent(h, { scaleUp: up, scaleDown: down }, current, r.replicas, now);
    current = r.replicas;
    seen.push(current);
  }
  assert.deepEqual(seen, [72, 64, 57]);
  assert.equal(convertDesiredReplicasWithBehaviorRate(history(), 30, 10, 1, 100, up, down, NOW).replicas, 26);
});

test('kubernetes.io default behavior: scale-down window 300s, scale-up 4 pods or 100% per 15s', () => {
  const b = defaultBehavior({}, 300);
  assert.deepEqual(b.scaleDown, { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });
  assert.deepEqual(b.scaleUp, { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] });
});
