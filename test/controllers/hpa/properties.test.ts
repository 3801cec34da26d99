/**
 * Properties of the normalization (fast-check): whatever the recommendations, policies and
 * history, the replica count never leaves [minReplicas, maxReplicas] once inside it, and a
 * Pods policy is never exceeded within any of its periods.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  convertDesiredReplicasWithBehaviorRate,
  convertDesiredReplicasWithRules,
  stabilizeRecommendationWithBehaviors,
  storeScaleEvent,
  type ScalingRules,
} from '../../../engine/controllers/hpa/behavior.js';
import type { HpaHistory } from '../../../engine/controllers/hpa/types.js';

const policy = fc.record({ type: fc.constantFrom('Pods' as const, 'Percent' as const), value: fc.integer({ min: 1, max: 200 }), periodSeconds: fc.integer({ min: 1, max: 600 }) });
const rules = fc.record({
  stabilizationWindowSeconds: fc.integer({ min: 0, max: 600 }),
  selectPolicy: fc.constantFrom('Max' as const, 'Min' as const, 'Disabled' as const),
  policies: fc.array(policy, { minLength: 1, maxLength: 3 }),
});

test('replicas never leave [min, max] over any sequence of syncs', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 50 }),
      fc.integer({ min: 0, max: 50 }),
      rules,
      rules,
      fc.array(fc.tuple(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 0, max: 500 })), { minLength: 1, maxLength: 30 }),
      (a, b, up, down, steps) => {
        const [min, max] = [Math.min(a, b), Math.max(a, b, 1)];
        const h: HpaHistory = { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] };
        let current = min + Math.floor((max - min) / 2);
        let now = 0;
        for (const [dt, raw] of steps) {
          now += dt;
          const stabilized = stabilizeRecommendationWithBehaviors(h, current, raw, up, down, now).replicas;
          const next = convertDesiredReplicasWithBehaviorRate(h, current, stabilized, min, max, up, down, now).replicas;
          assert.ok(next >= min && next <= max, `${next} outside [${min}, ${max}]`);
          if (next !== current) storeScaleEvent(h, { scaleUp: up, scaleDown: down }, current, next, now);
          current = next;
          const legacy = convertDesiredReplicasWithRules(current, raw, min, max).replicas;
          assert.ok(legacy >= min && legacy <= max);
        }
      },
    ),
  );
});

test('a Pods policy is never exceeded within any of its periods', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 10 }),
      fc.integer({ min: 5, max: 120 }),
      fc.array(fc.tuple(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 40 })), { minLength: 1, maxLength: 40 }),
      (value, period, steps) => {
        const up: ScalingRules = { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value, periodSeconds: period }] };
        const down: ScalingRules = { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value, periodSeconds: period }] };
        const h: HpaHistory = { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] };
        const changes: { t: number; up: number }[] = [];
        let current = 1;
        let now = 0;
        for (const [dt, grow] of steps) {
          now += dt;
          // Only growth: the net change in a period is then the sum of scale-ups in it.
          const next = convertDesiredReplicasWithBehaviorRate(h, current, current + grow, 1, 1_000_000, up, down, now).replicas;
          if (next !== current) {
            storeScaleEvent(h, { scaleUp: up, scaleDown: down }, current, next, now);
            changes.push({ t: now, up: next - current });
          }
          current = next;
          const inPeriod = changes.filter((c) => c.t > now - period).reduce((s, c) => s + c.up, 0);
          assert.ok(inPeriod <= value, `${inPeriod} added within ${period}s, policy allows ${value}`);
        }
      },
    ),
  );
});
