/**
 * The HPA controller waits for the scale update's answer (pkg/controller/podautoscaler/
 * horizontal.go reconcileAutoscaler): SuccessfulRescale, AbleToScale=True SucceededRescale and
 * lastScaleTime (setStatus's time.Now()) once the update returned without error; FailedRescale
 * with the error, AbleToScale=False FailedUpdateScale and no lastScaleTime when it failed.
 *
 * Timing by hand: writes commit 10 ms after they are made, watchers see them 5 ms later. The HPA
 * is created at 0 s, seen at 0.015 s, synced at 15.015 s; the scale update made then answers at
 * 15.025 s and the status written then commits at 15.035 s. The HPA's minReplicas 3 above the
 * Deployment's 2 replicas decides the rescale without any metric.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { createContext, type ClusterContext } from '../../../engine/api/context.js';
import { ApiServer } from '../../../engine/api/store.js';
import type { Deployment } from '../../../engine/api/types.js';
import { Simulation } from '../../../engine/core/simulation.js';
import { HorizontalPodAutoscalerController } from '../../../engine/controllers/hpa.js';
import type { HorizontalPodAutoscaler } from '../../../engine/controllers/hpa/types.js';
import type { MetricsServer } from '../../../engine/metrics/metrics-server.js';
import { DEFAULTS } from '../../../engine/scenario/defaults.js';
import { MemoryObserver } from '../../helpers/memory-observer.js';

function setup(behavior?: HorizontalPodAutoscaler['spec']['behavior']): { ctx: ClusterContext; obs: MemoryObserver; controller: HorizontalPodAutoscalerController } {
  const sim = new Simulation(1);
  const obs = new MemoryObserver();
  const ctx = createContext(sim, new ApiServer(sim, { writeLatency: 0.01, watchDelay: 0.005 }), obs, DEFAULTS);
  // No metric is read on the minReplicas path.
  const controller = new HorizontalPodAutoscalerController(ctx, {} as MetricsServer);
  const deployment: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
  } as Deployment;
  const hpa = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 3, maxReplicas: 5, ...(behavior && { behavior }) },
  } as HorizontalPodAutoscaler;
  ctx.api.create(deployment);
  ctx.api.create(hpa);
  return { ctx, obs, controller };
}

/** The controller's scale events for the HPA (internal: what the behavior's policies count). */
function scaleUpEvents(controller: HorizontalPodAutoscalerController): { replicaChange: number; timestamp: number }[] {
  const tracked = (controller as unknown as { tracked: Map<string, { history: { scaleUpEvents: { replicaChange: number; timestamp: number }[] } }> }).tracked;
  return tracked.get('default/web')!.history.scaleUpEvents.map(({ replicaChange, timestamp }) => ({ replicaChange, timestamp }));
}

const BEHAVIOR = { scaleUp: { policies: [{ type: 'Pods' as const, value: 1, periodSeconds: 60 }] } };

test('with behavior, a scale update that failed leaves no scale event; one that succeeded is stored at its sync', () => {
  const failed = setup(BEHAVIOR);
  failed.ctx.sim.after(15.01, () => failed.ctx.api.delete('Deployment', 'default', 'web'));
  failed.ctx.sim.run({ until: 16 });
  assert.equal(failed.obs.eventsWith('FailedRescale').length, 1);
  assert.deepEqual(scaleUpEvents(failed.controller), [], 'storeScaleEvent runs only after a successful update');

  const ok = setup(BEHAVIOR);
  ok.ctx.sim.run({ until: 16 });
  assert.equal(ok.obs.eventsWith('SuccessfulRescale').length, 1);
  assert.deepEqual(scaleUpEvents(ok.controller), [{ replicaChange: 1, timestamp: 15.015 }]);
});

function ableToScale(ctx: ClusterContext): { status: string; reason: string; message: string } | undefined {
  const status = ctx.api.get('HorizontalPodAutoscaler', 'default', 'web')!.status as { conditions?: { type: string; status: string; reason: string; message: string }[] };
  return status?.conditions?.find((c) => c.type === 'AbleToScale');
}

test('SuccessfulRescale when the scale update answered, lastScaleTime the answer time', () => {
  const { ctx, obs } = setup();
  ctx.sim.run({ until: 15.02 });
  // The sync at 15.015 s has sent the update; nothing is recorded before its answer.
  assert.deepEqual(obs.eventsWith('SuccessfulRescale'), []);
  assert.equal(ctx.api.get('HorizontalPodAutoscaler', 'default', 'web')!.status, undefined);
  ctx.sim.run({ until: 16 });
  const events = obs.eventsWith('SuccessfulRescale');
  assert.equal(events.length, 1);
  assert.ok(Math.abs(events[0]!.time - 15.025) < 1e-9, `recorded at ${events[0]!.time}`);
  assert.equal(events[0]!.message, 'New size: 3; reason: Current number of replicas below Spec.MinReplicas');
  assert.equal(ctx.api.get('Deployment', 'default', 'web')!.spec.replicas, 3);
  const status = ctx.api.get('HorizontalPodAutoscaler', 'default', 'web')!.status as Record<string, unknown>;
  assert.ok(Math.abs((status.lastScaleTime as number) - 15.025) < 1e-9);
  assert.equal(status.desiredReplicas, 3);
  const c = ableToScale(ctx)!;
  assert.deepEqual([c.status, c.reason, c.message], ['True', 'SucceededRescale', 'the HPA controller was able to update the target scale to 3']);
});

test('FailedRescale with the error when the scale update fails: the target was deleted in between', () => {
  const { ctx, obs } = setup();
  // Deleted at 15.01 s: still there for the sync's read at 15.015 s, gone (15.02 s) before the update commits (15.025 s).
  ctx.sim.after(15.01, () => ctx.api.delete('Deployment', 'default', 'web'));
  ctx.sim.run({ until: 16 });
  assert.deepEqual(obs.eventsWith('SuccessfulRescale'), []);
  const failed = obs.eventsWith('FailedRescale');
  assert.equal(failed.length, 1);
  assert.ok(Math.abs(failed[0]!.time - 15.025) < 1e-9);
  assert.equal(failed[0]!.message, 'New size: 3; reason: Current number of replicas below Spec.MinReplicas; error: deployments.apps "web" not found');
  const status = ctx.api.get('HorizontalPodAutoscaler', 'default', 'web')!.status as Record<string, unknown>;
  assert.equal(status.lastScaleTime, undefined);
  assert.equal(status.desiredReplicas, undefined);
  assert.equal(status.currentReplicas, 2);
  const c = ableToScale(ctx)!;
  assert.deepEqual([c.status, c.reason, c.message], ['False', 'FailedUpdateScale', 'the HPA controller was unable to update the target scale: deployments.apps "web" not found']);
});
