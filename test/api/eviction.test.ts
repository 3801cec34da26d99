/**
 * The Eviction API against pkg/registry/core/pod/storage/eviction.go: 429 when the budget allows
 * no disruption or was not yet observed, 201 with the budget decremented and the pod in
 * disruptedPods, 500 for two budgets, unhealthy pods under IfHealthyBudget and AlwaysAllow,
 * pending pods evicted without a budget check, and optimistic concurrency between two evictions.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { createContext, type ClusterContext } from '../../engine/api/context.js';
import { evictPod, MULTIPLE_BUDGETS, TOO_MANY_REQUESTS, type EvictionResponse } from '../../engine/api/eviction.js';
import { ApiServer } from '../../engine/api/store.js';
import type { Pod, PodDisruptionBudget, PodDisruptionBudgetStatus, PodPhase } from '../../engine/api/types.js';
import { Simulation } from '../../engine/core/simulation.js';
import { DEFAULTS } from '../../engine/scenario/defaults.js';
import { MemoryObserver } from '../helpers/memory-observer.js';

function cluster(): ClusterContext {
  const sim = new Simulation(1);
  return createContext(sim, new ApiServer(sim, { writeLatency: 0.01, watchDelay: 0.005 }), new MemoryObserver(), DEFAULTS);
}

function pod(name: string, o: { ready?: boolean; phase?: PodPhase } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'web' } },
    spec: { containers: [{ name: 'c', image: 'i' }], nodeName: 'n1' },
    status: { phase: o.phase ?? 'Running', conditions: o.ready === false ? [] : [{ type: 'Ready', status: 'True' }] },
  };
}

function budget(name: string, status: Partial<PodDisruptionBudgetStatus>, policy?: 'AlwaysAllow' | 'IfHealthyBudget'): PodDisruptionBudget {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace: 'default' },
    spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } }, ...(policy && { unhealthyPodEvictionPolicy: policy }) },
    status: { observedGeneration: 1, disruptedPods: {}, disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 1, expectedPods: 0, conditions: [], ...status },
  };
}

/** Creates the objects, then evicts `names` at one instant and returns the answers once all came back. */
function evict(ctx: ClusterContext, objects: (Pod | PodDisruptionBudget)[], names: string[]): EvictionResponse[] {
  for (const o of objects) ctx.api.create(o);
  ctx.sim.run();
  const answers: EvictionResponse[] = [];
  for (const n of names) evictPod(ctx, 'default', n, undefined, (r) => (answers[names.indexOf(n)] = r));
  ctx.sim.run({ until: ctx.sim.now + 30 });
  return answers;
}

test('a budget with no disruption allowed refuses with 429 and leaves the pod alone', () => {
  const ctx = cluster();
  assert.deepEqual(evict(ctx, [pod('a'), budget('web', { disruptionsAllowed: 0, currentHealthy: 1 })], ['a']), [{ code: 429, message: TOO_MANY_REQUESTS }]);
  assert.equal(ctx.api.get('Pod', 'default', 'a')!.metadata.deletionTimestamp, undefined);
});

test('a budget not yet observed by the controller (observedGeneration < generation) refuses with 429', () => {
  const ctx = cluster();
  assert.deepEqual(evict(ctx, [pod('a'), budget('web', { observedGeneration: 0, disruptionsAllowed: 5 })], ['a']), [{ code: 429, message: TOO_MANY_REQUESTS }]);
});

test('an allowed eviction decrements the budget, records the pod in disruptedPods and deletes it gracefully', () => {
  const ctx = cluster();
  assert.deepEqual(evict(ctx, [pod('a'), budget('web', { disruptionsAllowed: 1, currentHealthy: 2 })], ['a']), [{ code: 201, message: '' }]);
  const status = ctx.api.get('PodDisruptionBudget', 'default', 'web')!.status!;
  assert.equal(status.disruptionsAllowed, 0);
  assert.deepEqual(Object.keys(status.disruptedPods), ['a']);
  assert.deepEqual(status.conditions.map((c) => [c.status, c.reason]), [['False', 'InsufficientPods']]);
  assert.notEqual(ctx.api.get('Pod', 'default', 'a')!.metadata.deletionTimestamp, undefined);
});

test('two evictions at one instant against one allowed disruption: the second conflicts, rereads and gets 429', () => {
  const ctx = cluster();
  const answers = evict(ctx, [pod('a'), pod('b'), budget('web', { disruptionsAllowed: 1, currentHealthy: 2 })], ['a', 'b']);
  assert.deepEqual(answers.map((r) => r.code), [201, 429]);
  assert.equal(ctx.api.get('Pod', 'default', 'b')!.metadata.deletionTimestamp, undefined);
});

test('a pod matched by two budgets is a 500, as the eviction subresource does not support it', () => {
  const ctx = cluster();
  const answers = evict(ctx, [pod('a'), budget('one', { disruptionsAllowed: 1 }), budget('two', { disruptionsAllowed: 1 })], ['a']);
  assert.deepEqual(answers, [{ code: 500, message: MULTIPLE_BUDGETS }]);
});

test('unhealthy pods: IfHealthyBudget evicts only while the budget is met; AlwaysAllow always; neither decrements', () => {
  const met = cluster();
  assert.equal(evict(met, [pod('a', { ready: false }), budget('web', { currentHealthy: 1, desiredHealthy: 1 })], ['a'])[0]!.code, 201);
  assert.equal(met.api.get('PodDisruptionBudget', 'default', 'web')!.status!.disruptionsAllowed, 0);
  const unmet = cluster();
  assert.equal(evict(unmet, [pod('a', { ready: false }), budget('web', { currentHealthy: 0, desiredHealthy: 1 })], ['a'])[0]!.code, 429);
  const always = cluster();
  assert.equal(evict(always, [pod('a', { ready: false }), budget('web', { currentHealthy: 0, desiredHealthy: 1 }, 'AlwaysAllow')], ['a'])[0]!.code, 201);
});

test('pending and finished pods are evicted without consulting the budget; a missing pod is 404', () => {
  const ctx = cluster();
  const answers = evict(ctx, [pod('p', { phase: 'Pending' }), pod('s', { phase: 'Succeeded' }), budget('web', { disruptionsAllowed: 0 })], ['p', 's', 'gone']);
  assert.deepEqual(answers.map((r) => r.code), [201, 201, 404]);
});
