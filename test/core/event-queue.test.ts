/**
 * EventQueue against a reference model: a plain list of live events, the minimum found by a
 * linear scan on (time, insertion order). Random push/cancel/pop sequences must agree with the
 * model at every step: popped times and payloads, `size`, `isPending`, and the result of
 * `cancel` for live, fired, cancelled and stale handles.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { EventQueue, type EventHandle } from '../../engine/core/event-queue.js';

type Op =
  | { kind: 'push'; time: number }
  | { kind: 'cancel'; pick: number }
  | { kind: 'pop' };

interface ModelEvent {
  time: number;
  order: number;
  payload: number;
  handle: EventHandle;
  live: boolean;
}

/**
 * Few distinct times, so ties (resolved by insertion order) are common; and distinct times that
 * share a key bucket (the queue keeps only the high bits of a time in its heap keys: within
 * 2^24 units in the last place, order comes from the exact times and sequence numbers).
 */
const timeArb = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 30 }).map((t) => t / 4) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 7 }).map((k) => 1 + k * 2 ** -40) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 7 }).map((k) => 1e6 + k * 2 ** -20) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 7 }).map((k) => k * 2 ** -1070) },
  // Times a few units in the last place apart: growing the queue moves their low bits into the
  // keys' slot field (rekey), so keys that were ordered by those bits tie and need the heap rebuilt.
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 1023 }).map((u) => 1 + u * 2 ** -52) },
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: timeArb.map((time) => ({ kind: 'push' as const, time })) },
  { weight: 4, arbitrary: fc.nat().map((pick) => ({ kind: 'cancel' as const, pick })) },
  { weight: 2, arbitrary: fc.constant({ kind: 'pop' as const }) },
);

function modelMin(events: ModelEvent[]): ModelEvent | undefined {
  let best: ModelEvent | undefined;
  for (const e of events) {
    if (!e.live) continue;
    if (!best || e.time < best.time || (e.time === best.time && e.order < best.order)) best = e;
  }
  return best;
}

function replay(ops: Op[], initialCapacity: number, seqLimit?: number): void {
  const queue = new EventQueue(initialCapacity, seqLimit);
  // Every event ever pushed, live or not: cancel picks among all of them, so fired, cancelled
  // and stale handles (whose slot now holds another event) are all exercised.
  const issued: ModelEvent[] = [];
  let order = 0;
  let maxHeap = 0;
  for (const op of ops) {
    if (op.kind === 'push') {
      const payload = order * 3 + 1;
      const handle = queue.push(op.time, payload);
      issued.push({ time: op.time, order: order++, payload, handle, live: true });
    } else if (op.kind === 'cancel') {
      if (issued.length === 0) continue;
      const target = issued[op.pick % issued.length]!;
      assert.equal(queue.cancel(target.handle), target.live, 'cancel result');
      target.live = false;
    } else {
      const expected = modelMin(issued);
      assert.equal(queue.popMin(), expected !== undefined, 'popMin result');
      if (expected) {
        assert.equal(queue.lastTime, expected.time, 'popped time');
        assert.equal(queue.lastPayload, expected.payload, 'popped payload (insertion order among ties)');
        assert.equal(queue.lastSlot, EventQueue.slotOf(expected.handle), 'popped slot');
        expected.live = false;
      }
    }
    const live = issued.filter((e) => e.live);
    assert.equal(queue.size, live.length, 'size');
    if (seqLimit !== undefined) {
      // Internal: renumbering keeps the next sequence number within the limit, or, when the
      // heap holds more entries than that (only with a limit this small), within one past the
      // most it has held.
      const q = queue as unknown as { nextSeq: number; heapSize: number; tieHead: number; tieEnd: number };
      maxHeap = Math.max(maxHeap, q.heapSize + q.tieEnd - q.tieHead);
      assert.ok(q.nextSeq <= Math.max(seqLimit, maxHeap + 1), `sequence numbers renumbered: next ${q.nextSeq}, limit ${seqLimit}, heap at most ${maxHeap}`);
    }
    assert.equal(queue.peekTime(), modelMin(issued)?.time ?? Infinity, 'peekTime');
  }
  for (const e of issued) assert.equal(queue.isPending(e.handle), e.live, 'isPending');
  // Draining returns exactly the live events, in (time, insertion order).
  const rest = issued.filter((e) => e.live).sort((a, b) => a.time - b.time || a.order - b.order);
  for (const e of rest) {
    assert.ok(queue.popMin());
    assert.equal(queue.lastPayload, e.payload);
  }
  assert.equal(queue.popMin(), false);
  assert.equal(queue.size, 0);
}

test('random push/cancel/pop sequences match the sorted reference model', () => {
  fc.assert(
    fc.property(fc.array(opArb, { maxLength: 400, size: 'medium' }), fc.constantFrom(1, 16, 1024), (ops, cap) => replay(ops, cap)),
    { numRuns: 300 },
  );
});

test('sequence numbers renumbered when they run out keep insertion order among ties', () => {
  // A limit of 7 renumbers after every few pushes (the default is 2^31 - 1): ties must still
  // pop in insertion order, and handles must stay valid across renumbering.
  fc.assert(
    fc.property(fc.array(opArb, { minLength: 40, maxLength: 300, size: 'max' }), fc.constantFrom(7, 40), (ops, limit) => replay(ops, 16, limit)),
    { numRuns: 200 },
  );
});

test('long cancel-heavy sequences (compaction path) match the reference model', () => {
  const pushThenCancel = fc.array(
    fc.oneof(
      { weight: 3, arbitrary: opArb.filter((o) => o.kind === 'push') },
      { weight: 3, arbitrary: fc.nat().map((pick) => ({ kind: 'cancel' as const, pick })) },
      { weight: 1, arbitrary: fc.constant({ kind: 'pop' as const }) },
    ),
    { minLength: 500, maxLength: 1500 },
  );
  fc.assert(fc.property(pushThenCancel, (ops) => replay(ops, 16)), { numRuns: 40 });
});

test('equal times pop in insertion order', () => {
  const queue = new EventQueue(16);
  for (let i = 0; i < 100; i++) queue.push(i % 3 === 0 ? 1 : 2, i);
  const popped: number[] = [];
  while (queue.popMin()) popped.push(queue.lastPayload);
  const ones = popped.slice(0, 34);
  const twos = popped.slice(34);
  assert.deepEqual(ones, Array.from({ length: 34 }, (_, k) => 3 * k));
  assert.deepEqual(twos, [...Array(100).keys()].filter((i) => i % 3 !== 0));
});

test('a stale handle whose slot was reused does not cancel the new occupant', () => {
  const queue = new EventQueue(16);
  const fired = queue.push(1, 10);
  assert.ok(queue.popMin());
  const next = queue.push(2, 20);
  assert.equal(EventQueue.slotOf(next), EventQueue.slotOf(fired), 'the slot is reused');
  assert.equal(queue.cancel(fired), false);
  assert.equal(queue.isPending(fired), false);
  assert.equal(queue.isPending(next), true);

  const cancelled = next;
  assert.equal(queue.cancel(cancelled), true);
  assert.equal(queue.cancel(cancelled), false, 'second cancel');
  assert.equal(queue.popMin(), false, 'the cancelled event is dropped, freeing its slot');
  const third = queue.push(3, 30);
  assert.equal(EventQueue.slotOf(third), EventQueue.slotOf(cancelled));
  assert.equal(queue.cancel(cancelled), false, 'cancelled handle after reuse');
  assert.ok(queue.popMin());
  assert.equal(queue.lastPayload, 30);
});

test('handles never issued are rejected', () => {
  const queue = new EventQueue(16);
  queue.push(1, 1);
  assert.equal(queue.cancel(EventQueue.slotOf(0) + 5), false, 'slot beyond those in use');
  assert.equal(queue.cancel(1 * 2 ** 24), false, 'live slot, wrong generation');
  assert.equal(queue.size, 1);
});

test('mass cancellation compacts the heap so memory stays O(live)', () => {
  const queue = new EventQueue(16);
  const handles: EventHandle[] = [];
  for (let i = 0; i < 10_000; i++) handles.push(queue.push((i * 7919) % 1000, i));
  for (let i = 0; i < 10_000; i++) if (i % 10 !== 0) assert.ok(queue.cancel(handles[i]!));
  assert.equal(queue.size, 1000);
  // Internal: without compaction the heap would still hold all 10 000 entries.
  const heapSize = (queue as unknown as { heapSize: number }).heapSize;
  assert.ok(heapSize < 2 * queue.size + 64, `heap holds ${heapSize} entries for ${queue.size} live`);
  let last = -Infinity;
  let lastPayload = -1;
  let count = 0;
  while (queue.popMin()) {
    assert.equal(queue.lastPayload % 10, 0, 'only survivors pop');
    const t = queue.lastTime;
    assert.ok(t > last || (t === last && queue.lastPayload > lastPayload), 'order');
    last = t;
    lastPayload = queue.lastPayload;
    count++;
  }
  assert.equal(count, 1000);
  for (let i = 0; i < 10_000; i++) assert.equal(queue.cancel(handles[i]!), false);
});

test('grows past its initial capacity', () => {
  const queue = new EventQueue(1);
  for (let i = 0; i < 5000; i++) queue.push(5000 - i, i);
  assert.equal(queue.size, 5000);
  for (let i = 4999; i >= 0; i--) {
    assert.ok(queue.popMin());
    assert.equal(queue.lastPayload, i);
  }
});
