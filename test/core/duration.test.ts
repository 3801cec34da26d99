import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatDuration, parseDuration } from '../../engine/core/duration.js';

// Valid cases from Go's src/time/time_test.go (parseDurationTests), in seconds.
const GO_CASES: [string, number][] = [
  ['0', 0],
  ['5s', 5],
  ['30s', 30],
  ['1478s', 1478],
  ['5.6s', 5.6],
  ['5.s', 5],
  ['.5s', 0.5],
  ['1.0s', 1],
  ['1.00s', 1],
  ['1.004s', 1.004],
  ['100.00100s', 100.001],
  ['10ns', 10e-9],
  ['11us', 11e-6],
  ['12\u00b5s', 12e-6],
  ['12\u03bcs', 12e-6],
  ['13ms', 0.013],
  ['14s', 14],
  ['15m', 900],
  ['16h', 57600],
  ['3h30m', 12600],
  ['10.5s4m', 250.5],
  ['1h2m3s4ms5us6ns', 3723.004005006],
  ['39h9m14.425s', 140954.425],
  ['52763797000ns', 52.763797],
];

test('parseDuration reads Go duration strings', () => {
  for (const [text, seconds] of GO_CASES) {
    const got = parseDuration(text);
    assert.ok(Math.abs(got - seconds) <= 1e-9 * Math.max(1, seconds), `${text}: ${got} != ${seconds}`);
  }
  assert.equal(parseDuration('250ms'), 0.25);
  assert.equal(parseDuration('2h45m30.5s'), 9930.5);
  assert.equal(parseDuration('300us'), 0.0003);
});

test('parseDuration takes plain numbers and numeric strings as seconds', () => {
  assert.equal(parseDuration(15), 15);
  assert.equal(parseDuration(0), 0);
  assert.equal(parseDuration('2.5'), 2.5);
  assert.equal(parseDuration('1e3'), 1000);
});

test('parseDuration rejects negative, empty and unit-less garbage with a RangeError naming the form', () => {
  for (const bad of ['', ' ', '-5s', '+5s', '-', 's', '.', '.s', '5x', '5 s', '1h-3m', 'abc', '5sec', '1d']) {
    assert.throws(() => parseDuration(bad), (e: unknown) => e instanceof RangeError && /a duration such as 250ms/.test(e.message), bad);
  }
  assert.throws(() => parseDuration(-1), RangeError);
  assert.throws(() => parseDuration(Number.NaN), RangeError);
  assert.throws(() => parseDuration(Infinity), RangeError);
});

test('formatDuration gives the shortest Go-style spelling', () => {
  assert.equal(formatDuration(90), '1m30s');
  assert.equal(formatDuration(0.25), '250ms');
  assert.equal(formatDuration(0), '0s');
  assert.equal(formatDuration(3600), '1h');
  assert.equal(formatDuration(5400), '1h30m');
  assert.equal(formatDuration(1.5), '1.5s');
  assert.equal(formatDuration(3723.5), '1h2m3.5s');
  assert.equal(formatDuration(0.0003), '300us');
  assert.equal(formatDuration(1e-8), '10ns');
  assert.equal(formatDuration(0.0015), '1.5ms');
});

test('formatDuration and parseDuration round-trip every whole number of nanoseconds', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 30 * 86400 * 1e9 }), (ns) => {
      const seconds = ns / 1e9;
      const back = parseDuration(formatDuration(seconds));
      return Math.round(back * 1e9) === ns || Math.abs(back - seconds) < 1e-9;
    }),
  );
});
