/** The documented seed rule: run 1 keeps the base seed; run i adds (i-1) * 0x9E3779B9 modulo 2^32. */
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { planTasks, shardTasks } from '../../engine/parallel/plan.js';
import { replicationSeed } from '../../engine/parallel/seeds.js';

test('run 1 keeps the base seed, so --runs 1 is the single run', () => {
  for (const s of [0, 1, 7, 0xffffffff]) assert.equal(replicationSeed(s, 1), s);
});

test('the rule, checked with exact big-integer arithmetic', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 1, max: 1_000_000 }), (s, run) => {
      const expected = Number((BigInt(s) + BigInt(run - 1) * 0x9e3779b9n) % 2n ** 32n);
      assert.equal(replicationSeed(s, run), expected);
    }),
  );
  assert.equal(replicationSeed(1, 2), 2654435770);
});

test('the seeds of a sweep are distinct', () => {
  const seeds = new Set(Array.from({ length: 100_000 }, (_, i) => replicationSeed(42, i + 1)));
  assert.equal(seeds.size, 100_000);
});

test('every variant gets the same seeds (common random numbers), variant-major order', () => {
  const tasks = planTasks([{ name: 'a' }, { name: 'b' }], 3, 5);
  assert.deepEqual(
    tasks.map((t) => [t.index, t.variant, t.run]),
    [[0, 'a', 1], [1, 'a', 2], [2, 'a', 3], [3, 'b', 1], [4, 'b', 2], [5, 'b', 3]],
  );
  assert.deepEqual(tasks.slice(0, 3).map((t) => t.seed), tasks.slice(3).map((t) => t.seed));
});

test('shards are contiguous blocks that together are the whole list, each task once', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 50 }), (n, count) => {
      const tasks = Array.from({ length: n }, (_, i) => i);
      const shards = Array.from({ length: count }, (_, i) => shardTasks(tasks, { index: i + 1, count }));
      assert.deepEqual(shards.flat(), tasks);
      const sizes = shards.map((s) => s.length);
      assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1);
    }),
  );
});
