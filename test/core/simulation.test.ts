/** Simulation: the clock, run limits, same-time ordering, cancellation and stop. */
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Simulation } from '../../engine/core/simulation.js';

test('scheduling in the past throws and leaves the queue unchanged', () => {
  const sim = new Simulation(1);
  sim.schedule(5, () => {
    assert.throws(() => sim.schedule(4.999, () => {}), RangeError);
    assert.throws(() => sim.after(-1, () => {}), RangeError);
    assert.throws(() => sim.schedule(Number.NaN, () => {}), RangeError);
  });
  sim.run();
  assert.equal(sim.pending, 0);
  assert.throws(() => sim.schedule(1, () => {}), RangeError);
});

test('an event arg outside int32 throws (the queue stores args as int32)', () => {
  const sim = new Simulation(1);
  for (const arg of [0.5, 2 ** 31, -(2 ** 31) - 1, Number.NaN]) {
    assert.throws(() => sim.schedule(1, () => {}, arg), /int32/);
  }
  const got: number[] = [];
  for (const arg of [2 ** 31 - 1, -(2 ** 31), -1]) sim.schedule(1, (a) => got.push(a), arg);
  sim.run();
  assert.deepEqual(got, [2 ** 31 - 1, -(2 ** 31), -1]);
  assert.equal(sim.pending, 0);
});

test('run({until}) stops the clock at until and leaves later events pending', () => {
  const sim = new Simulation(1);
  const ran: number[] = [];
  for (const t of [1, 2, 3, 3.0000001, 10]) sim.schedule(t, () => ran.push(sim.now));
  const result = sim.run({ until: 3 });
  assert.deepEqual(ran, [1, 2, 3], 'events at exactly until run, later ones do not');
  assert.equal(sim.now, 3);
  assert.deepEqual(result, { events: 3, reason: 'until' });
  assert.equal(sim.pending, 2);

  assert.deepEqual(sim.run({ until: 7.5 }), { events: 1, reason: 'until' });
  assert.equal(sim.now, 7.5, 'the clock advances to until even past the last event run');
  assert.deepEqual(sim.run(), { events: 1, reason: 'empty' });
  assert.equal(sim.now, 10);
  assert.deepEqual(sim.run({ until: 20 }), { events: 0, reason: 'until' });
  assert.equal(sim.now, 20, 'an empty queue still advances to until');
});

test('run({until}) earlier than now throws instead of moving the clock back', () => {
  const sim = new Simulation(1);
  sim.run({ until: 10 });
  assert.throws(() => sim.run({ until: 5 }), RangeError);
  assert.equal(sim.now, 10);
});

test('maxEvents bounds one run; the next run continues where it stopped', () => {
  const sim = new Simulation(1);
  const ran: number[] = [];
  for (let i = 0; i < 10; i++) sim.schedule(i, (arg) => ran.push(arg), i);
  assert.deepEqual(sim.run({ maxEvents: 4 }), { events: 4, reason: 'maxEvents' });
  assert.deepEqual(ran, [0, 1, 2, 3]);
  assert.equal(sim.now, 3);
  assert.deepEqual(sim.run({ maxEvents: 100 }), { events: 6, reason: 'empty' });
  assert.equal(sim.eventsRun, 10);
});

test('events scheduled by a handler at the same instant run after those already queued', () => {
  const sim = new Simulation(1);
  const order: string[] = [];
  sim.schedule(1, () => {
    order.push('a');
    sim.after(0, () => order.push('a-child'));
    sim.schedule(1, () => order.push('a-child2'));
  });
  sim.schedule(1, () => order.push('b'));
  sim.schedule(1, () => order.push('c'));
  sim.schedule(2, () => order.push('d'));
  sim.run();
  assert.deepEqual(order, ['a', 'b', 'c', 'a-child', 'a-child2', 'd']);
});

test('a handler can cancel a pending event; cancelling twice or after firing returns false', () => {
  const sim = new Simulation(1);
  const order: string[] = [];
  let later = 0;
  let sameInstant = 0;
  const first = sim.schedule(1, () => {
    order.push('first');
    assert.equal(sim.cancel(later), true);
    assert.equal(sim.cancel(sameInstant), true, 'an event at the current instant can still be cancelled');
    assert.equal(sim.cancel(later), false, 'second cancel');
  });
  sameInstant = sim.schedule(1, () => order.push('same-instant'));
  later = sim.schedule(2, () => order.push('later'));
  sim.schedule(3, () => order.push('last'));
  assert.deepEqual(sim.run(), { events: 2, reason: 'empty' });
  assert.deepEqual(order, ['first', 'last']);
  assert.equal(sim.cancel(first), false, 'already ran');
  assert.equal(sim.isPending(later), false);
  assert.equal(sim.pending, 0);
});

test('a handler cancelling its own handle gets false (it already fired)', () => {
  const sim = new Simulation(1);
  let self = 0;
  let result: boolean | undefined;
  self = sim.schedule(1, () => {
    result = sim.cancel(self);
  });
  sim.run();
  assert.equal(result, false);
});

test('stop() returns after the current event; run resumes afterwards', () => {
  const sim = new Simulation(1);
  const ran: number[] = [];
  for (let i = 1; i <= 5; i++) {
    sim.schedule(i, () => {
      ran.push(i);
      if (i === 2) sim.stop();
    });
  }
  assert.deepEqual(sim.run(), { events: 2, reason: 'stopped' });
  assert.equal(sim.now, 2);
  assert.equal(sim.pending, 3);
  assert.deepEqual(sim.run(), { events: 3, reason: 'empty' });
  assert.deepEqual(ran, [1, 2, 3, 4, 5]);
});

test('handler argument is passed through', () => {
  const sim = new Simulation(1);
  const got: number[] = [];
  const handler = (arg: number): void => void got.push(arg);
  sim.schedule(1, handler, 42);
  sim.after(0.5, handler, -7);
  sim.schedule(2, handler);
  sim.run();
  assert.deepEqual(got, [-7, 42, 0]);
});

test('random schedules run in (time, scheduling order) and cancelled events never run', () => {
  const spec = fc.array(fc.record({ time: fc.integer({ min: 0, max: 20 }), cancel: fc.boolean() }), { maxLength: 300 });
  fc.assert(
    fc.property(spec, (events) => {
      const sim = new Simulation(7);
      const ran: number[] = [];
      const handles = events.map((e, i) => sim.schedule(e.time, (arg) => ran.push(arg), i));
      events.forEach((e, i) => {
        if (e.cancel) assert.equal(sim.cancel(handles[i]!), true);
      });
      assert.equal(sim.pending, events.filter((e) => !e.cancel).length);
      sim.run();
      const expected = events
        .map((e, i) => ({ ...e, i }))
        .filter((e) => !e.cancel)
        .sort((a, b) => a.time - b.time || a.i - b.i)
        .map((e) => e.i);
      assert.deepEqual(ran, expected);
    }),
    { numRuns: 200 },
  );
});

test('stream(name) is the same object for the same name and depends only on (seed, name)', () => {
  const a = new Simulation(99);
  const b = new Simulation(99);
  assert.equal(a.stream('x'), a.stream('x'));
  a.stream('other').float();
  assert.equal(a.stream('x').float(), b.stream('x').float());
});

test('registered handlers and closures interleave in (time, scheduling) order; both can be cancelled', () => {
  const sim = new Simulation(1);
  const seen: string[] = [];
  const reg = sim.register((arg) => seen.push(`reg${arg}@${sim.now}`));
  sim.schedule(2, reg, 1);
  sim.schedule(1, () => seen.push(`closure@${sim.now}`));
  sim.schedule(2, () => seen.push(`closure2@${sim.now}`));
  sim.schedule(2, reg, 2);
  const cancelled = sim.schedule(1.5, reg, 3);
  assert.equal(sim.cancel(cancelled), true);
  assert.equal(sim.isPending(cancelled), false);
  sim.run();
  assert.deepEqual(seen, ['closure@1', 'reg1@2', 'closure2@2', 'reg2@2']);
});

test('handlers registered past the queue\'s 8-bit tags still fire, with their args, in order', () => {
  const sim = new Simulation(1);
  const seen: string[] = [];
  const ids = Array.from({ length: 300 }, (_, i) => sim.register((arg) => seen.push(`h${i}:${arg}@${sim.now}`)));
  // Every id, from the last to the first, at two instants: ids past MAX_TAG (254) go the closure way.
  for (const id of [...ids].reverse()) sim.schedule(1 + (id % 2), id, -id);
  const cancelled = sim.schedule(0.5, ids[299]!, 7);
  assert.equal(sim.cancel(cancelled), true);
  sim.run();
  const expected = [...ids].reverse().filter((id) => id % 2 === 0).map((id) => `h${id}:${-id}@1`)
    .concat([...ids].reverse().filter((id) => id % 2 === 1).map((id) => `h${id}:${-id}@2`));
  assert.deepEqual(seen, expected);
});
