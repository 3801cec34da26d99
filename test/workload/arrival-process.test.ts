/**
 * Open-loop shapes reproduce their configured rate. For a (non-homogeneous) Poisson process
 * the count in a window is Poisson with mean L = integral of the rate over it, so it lies
 * within L +- 4 sqrt(L) except with probability ~6e-5 per window (normal approximation); on
 * a fixed seed the check is deterministic.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { createStream } from '../../engine/core/rng.js';
import { ArrivalProcess } from '../../engine/workload/arrival-process.js';
import type { OpenLoopSpec } from '../../engine/workload/arrival-spec.js';

function arrivals(spec: OpenLoopSpec, until: number, origin = 0): number[] {
  const p = new ArrivalProcess(spec, createStream(7, spec.type), origin);
  const out: number[] = [];
  for (let t = p.next(origin); t < until; t = p.next(t)) out.push(t);
  return out;
}

/** Integral of `rate` over [a, b], by the midpoint rule (rates here are smooth or piecewise). */
function integral(rate: (t: number) => number, a: number, b: number, steps = 2000): number {
  const h = (b - a) / steps;
  let sum = 0;
  for (let i = 0; i < steps; i++) sum += rate(a + (i + 0.5) * h);
  return sum * h;
}

function checkWindows(times: number[], rate: (t: number) => number, origin: number, end: number, width: number): void {
  for (let a = origin; a < end; a += width) {
    const b = Math.min(end, a + width);
    const expected = integral(rate, a - origin, b - origin);
    const count = times.filter((t) => t >= a && t < b).length;
    assert.ok(Math.abs(count - expected) <= 4 * Math.sqrt(expected) + 1, `[${a}, ${b}): ${count} arrivals, expected ${expected.toFixed(1)}`);
  }
}

test('ramp: 0 -> 400 req/s over 60 s, then 400', () => {
  const spec: OpenLoopSpec = { type: 'ramp', from: 0, to: 400, over: 60 };
  const times = arrivals(spec, 110, 10);
  checkWindows(times, (t) => (t < 60 ? (400 * t) / 60 : 400), 10, 110, 10);
});

test('steps: 100, then 500 from 20 s, then 0 from 40 s, then 50 from 50 s', () => {
  const steps = [
    { time: 0, rate: 100 },
    { time: 20, rate: 500 },
    { time: 40, rate: 0 },
    { time: 50, rate: 50 },
  ];
  const times = arrivals({ type: 'steps', steps }, 100);
  const rate = (t: number) => [...steps].reverse().find((s) => s.time <= t)!.rate;
  checkWindows(times, rate, 0, 100, 10);
  assert.equal(times.filter((t) => t >= 40 && t < 50).length, 0, 'nothing while the rate is 0');
});

test('spike: 50 req/s with 1000 req/s for 5 s at 30 s', () => {
  const times = arrivals({ type: 'spike', rate: 50, peak: 1000, at: 30, duration: 5 }, 60);
  checkWindows(times, (t) => (t >= 30 && t < 35 ? 1000 : 50), 0, 60, 5);
});

test('sinusoidal: 200 +- 150 req/s, period 40 s, peak at 10 s', () => {
  const rate = (t: number) => 200 + 150 * Math.cos((2 * Math.PI * (t - 10)) / 40);
  const times = arrivals({ type: 'sinusoidal', mean: 200, amplitude: 150, period: 40, peakAt: 10 }, 120);
  checkWindows(times, rate, 0, 120, 5);
});

test('trace: a measured rate, held per step or interpolated linearly', () => {
  const points = [
    { time: 0, rate: 100 },
    { time: 30, rate: 300 },
    { time: 60, rate: 50 },
  ];
  const step = arrivals({ type: 'trace', points, interpolation: 'step' }, 90);
  checkWindows(step, (t) => (t < 30 ? 100 : t < 60 ? 300 : 50), 0, 90, 10);
  const linear = arrivals({ type: 'trace', points, interpolation: 'linear' }, 90);
  const lin = (t: number) => (t < 30 ? 100 + (200 * t) / 30 : t < 60 ? 300 - (250 * (t - 30)) / 30 : 50);
  checkWindows(linear, lin, 0, 90, 10);
});

test('poisson gaps are exponential: mean 1/rate and coefficient of variation 1', () => {
  const times = arrivals({ type: 'poisson', rate: 100 }, 1000);
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / (gaps.length - 1));
  // ~100,000 gaps: the mean is within 4 standard errors (0.01/sqrt(n)) of 0.01.
  assert.ok(Math.abs(mean - 0.01) < (4 * 0.01) / Math.sqrt(gaps.length), `mean gap ${mean}`);
  assert.ok(Math.abs(sd / mean - 1) < 0.02, `cv ${sd / mean}`);
});

test('constant keeps its even spacing', () => {
  const times = arrivals({ type: 'constant', rate: 4 }, 3);
  assert.deepEqual(times, [0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.25, 2.5, 2.75]);
});
