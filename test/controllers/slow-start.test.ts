/**
 * slowStartBatch (pkg/controller/replicaset/replica_set.go), and the ReplicaSet controller's
 * creates going out in its batches (manageReplicas). Upstream cases transcribed from
 * pkg/controller/replicaset/replica_set_test.go TestSlowStartBatch (count 10, initial batch 1, a
 * call failing once `callLimit` calls were made); the timing in runs hand-computed from the
 * store's latencies (writes commit after 10 ms, watchers see them 5 ms later).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createContext, type ClusterContext } from '../../engine/api/context.js';
import { ApiServer } from '../../engine/api/store.js';
import type { ReplicaSet } from '../../engine/api/types.js';
import { ReplicaSetController } from '../../engine/controllers/replicaset.js';
import { slowStartBatch } from '../../engine/controllers/slow-start.js';
import { Simulation } from '../../engine/core/simulation.js';
import { DEFAULTS } from '../../engine/scenario/defaults.js';
import { MemoryObserver } from '../helpers/memory-observer.js';

/** Runs slowStartBatch with calls answering `latency` later; call i (0-based, in call order) fails when `fails(i)`. */
function simulate(count: number, initial: number, fails: (i: number) => boolean, latency = 1) {
  const sim = new Simulation(1);
  const callTimes: number[] = [];
  let result: { made: number; successes: number } | undefined;
  slowStartBatch(
    count,
    initial,
    (answered) => {
      const i = callTimes.length;
      callTimes.push(sim.now);
      sim.after(latency, () => answered(!fails(i)));
    },
    (made, successes) => (result = { made, successes }),
  );
  sim.run();
  return { callTimes, result: result! };
}

test('replica_set_test.go TestSlowStartBatch: calls and successes for count 10, initial batch 1', () => {
  const cases: [string, number, number, number][] = [
    // name, callLimit, expected successes, expected calls
    ['callLimit = 0 (all fail)', 0, 0, 1],
    ['callLimit = count (all succeed)', 10, 10, 10],
    ['callLimit = count/2 (some succeed)', 5, 5, 7],
  ];
  for (const [name, callLimit, successes, calls] of cases) {
    const { callTimes, result } = simulate(10, 1, (i) => i + 1 > callLimit);
    assert.equal(callTimes.length, calls, name);
    assert.deepEqual(result, { made: calls, successes }, name);
  }
});

test('batches of 1, 2, 4, 8 ... each once the previous one answered, the last what remains', () => {
  assert.deepEqual(simulate(10, 1, () => false).callTimes, [0, 1, 1, 2, 2, 2, 2, 3, 3, 3]);
  assert.deepEqual(simulate(3, 1, () => false).callTimes, [0, 1, 1]);
  assert.deepEqual(simulate(5, 2, () => false).callTimes, [0, 0, 1, 1, 1]);
  const none = simulate(0, 1, () => false);
  assert.deepEqual([none.callTimes, none.result], [[], { made: 0, successes: 0 }]);
});

test('property: the calls made are the whole batches up to the first with a failure', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 8 }), fc.array(fc.integer({ min: 0, max: 199 }), { maxLength: 5 }), (count, initial, failing) => {
      const fails = new Set(failing);
      const { callTimes, result } = simulate(count, initial, (i) => fails.has(i));
      // Independent model: walk the batch boundaries.
      let made = 0;
      for (let size = Math.min(count, initial); size > 0; size = Math.min(2 * size, count - made)) {
        const start = made;
        made += size;
        if ([...fails].some((i) => i >= start && i < made)) break;
      }
      const failed = [...fails].filter((i) => i < made).length;
      assert.equal(callTimes.length, made);
      assert.deepEqual(result, { made, successes: made - failed });
      // A batch goes out only after the previous one: call times never go back.
      for (let i = 1; i < callTimes.length; i++) assert.ok(callTimes[i]! >= callTimes[i - 1]!);
    }),
  );
});

function replicaSetCluster(priorityClassName?: string): { ctx: ClusterContext; obs: MemoryObserver } {
  const sim = new Simulation(1);
  const obs = new MemoryObserver();
  const ctx = createContext(sim, new ApiServer(sim, { writeLatency: 0.01, watchDelay: 0.005 }), obs, DEFAULTS);
  new ReplicaSetController(ctx);
  const rs = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 10,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }], ...(priorityClassName ? { priorityClassName } : {}) } },
    },
  } as ReplicaSet;
  ctx.api.create(rs);
  return { ctx, obs };
}

const ms = (t: number) => Math.round(t * 1000);

test('a ReplicaSet scaled from 0 to 10 creates its pods in batches of 1, 2, 4 and 3, one write latency apart', () => {
  const { ctx } = replicaSetCluster();
  ctx.sim.run({ until: 1 });
  // The ReplicaSet commits at 10 ms and is seen at 15 ms, when it syncs: requests at 15, 25, 35
  // and 45 ms, each batch when the previous one answered; each pod exists 10 ms after its request.
  const created = ctx.api.list('Pod', 'default').map((p) => ms(p.metadata.creationTimestamp!));
  const perInstant = new Map<number, number>();
  for (const t of created) perInstant.set(t, (perInstant.get(t) ?? 0) + 1);
  assert.deepEqual([...perInstant.entries()].sort((a, b) => a[0] - b[0]), [
    [25, 1],
    [35, 2],
    [45, 4],
    [55, 3],
  ]);
});

test('a refused create ends the batches: one request per sync, the skipped ones no longer expected', () => {
  // Admission refuses every pod (no such PriorityClass).
  const { ctx, obs } = replicaSetCluster('nope');
  ctx.sim.run({ until: 0.1 });
  // Sync at 15 ms: 1 request, refused at 25 ms; 9 skipped, expectations met; retried after the
  // back-off (5 ms, then 10, 20 ms): syncs at 30, 50, 80 ms, refusals at 40, 60, 90 ms.
  const failed = obs.eventsWith('FailedCreate');
  assert.deepEqual(failed.map((e) => ms(e.time)), [25, 40, 60, 90]);
  for (const e of failed) assert.match(e.message, /^Error creating: pods "web-[a-z0-9]{5}" is forbidden: no PriorityClass with name nope was found$/);
  assert.deepEqual(ctx.api.list('Pod', 'default'), []);
});
