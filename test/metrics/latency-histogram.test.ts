import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LatencyHistogram } from '../../engine/metrics/latency-histogram.js';

/** Nearest-rank quantile: the smallest sample with at least q of the samples at or below it. */
function exactQuantile(sorted: number[], q: number): number {
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

test('quantiles are within 0.5% of the exact nearest-rank order statistic', () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: 1e-5, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 400 }),
      fc.constantFrom(0.5, 0.9, 0.95, 0.99, 1),
      (values, q) => {
        const h = new LatencyHistogram();
        for (const v of values) h.record(v);
        const exact = exactQuantile(values.slice().sort((a, b) => a - b), q);
        const got = h.quantile(q);
        assert.ok(Math.abs(got - exact) / exact <= 0.00501, `q=${q} exact=${exact} got=${got}`);
      },
    ),
  );
});

test('count, mean, max, merge and reset', () => {
  const a = new LatencyHistogram();
  const b = new LatencyHistogram();
  [0.01, 0.02, 0.03].forEach((v) => a.record(v));
  b.record(0.5);
  a.merge(b);
  assert.equal(a.count, 4);
  assert.ok(Math.abs(a.mean - 0.14) < 1e-12);
  assert.equal(a.maximum, 0.5);
  a.reset();
  assert.equal(a.count, 0);
  assert.ok(Number.isNaN(a.quantile(0.5)));
});
