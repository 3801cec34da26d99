/**
 * Distributions, on fixed seeds. Each sample statistic is compared with its exact value within
 * 5 standard errors (a deterministic test, since the seed is fixed; 5 SE keeps it meaningful
 * while leaving any correct generator a two-sided chance of failure below 6e-7):
 *  - sample mean:     SE = sigma / sqrt(n)
 *  - sample variance: SE = sqrt((mu4 - sigma^4) / n), mu4 the fourth central moment
 *  - sample quantile: SE = sqrt(p (1 - p) / n) / f(q_p), f the density at the quantile
 *  - empirical CDF:   SE = sqrt(p (1 - p) / n)
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createStream, type Rng } from '../../engine/core/rng.js';
import {
  lognormalFromMeanP99,
  meanOf,
  sampler,
  standardNormal,
  Z99,
  type DistributionSpec,
} from '../../engine/core/distributions.js';

const N = 200_000;
const K = 5; // standard errors

function sample(spec: DistributionSpec, n = N, seed = 12345): Float64Array {
  const draw = sampler(spec);
  const rng = createStream(seed, `dist-${spec.dist}`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = draw(rng);
  return out;
}

function meanVar(xs: Float64Array): { mean: number; variance: number } {
  let mean = 0;
  for (const x of xs) mean += x;
  mean /= xs.length;
  let ss = 0;
  for (const x of xs) ss += (x - mean) * (x - mean);
  return { mean, variance: ss / (xs.length - 1) };
}

function quantile(xs: Float64Array, p: number): number {
  const sorted = Float64Array.from(xs).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** Checks sample mean and variance against exact values; mu4 is the fourth central moment. */
function checkMoments(label: string, xs: Float64Array, mean: number, variance: number, mu4: number): void {
  const n = xs.length;
  const got = meanVar(xs);
  const seMean = Math.sqrt(variance / n);
  const seVar = Math.sqrt((mu4 - variance * variance) / n);
  assert.ok(Math.abs(got.mean - mean) <= K * seMean, `${label}: mean ${got.mean} vs ${mean} (SE ${seMean})`);
  assert.ok(
    Math.abs(got.variance - variance) <= K * seVar,
    `${label}: variance ${got.variance} vs ${variance} (SE ${seVar})`,
  );
}

/** An Rng that returns the given float; enough to evaluate an inverse-CDF sampler at u. */
function fixedU(u: number): Rng {
  return { float: () => u, int: () => 0, next32: () => 0 };
}

test('Z99 is Phi^-1(0.99)', () => {
  assert.equal(Z99, 2.3263478740408408);
  // Independent check: integrate the normal density from 0 to Z99 (Simpson, 2000 intervals,
  // error far below 1e-12) and add 0.5.
  const f = (x: number): number => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
  const m = 2000;
  const h = Z99 / m;
  let s = f(0) + f(Z99);
  for (let i = 1; i < m; i++) s += (i % 2 === 1 ? 4 : 2) * f(i * h);
  assert.ok(Math.abs(0.5 + (s * h) / 3 - 0.99) < 1e-12);
});

test('constant', () => {
  const xs = sample({ dist: 'constant', value: 3.5 }, 1000);
  assert.ok(xs.every((x) => x === 3.5));
  assert.equal(meanOf({ dist: 'constant', value: 3.5 }), 3.5);
});

test('uniform(2, 5): mean (a+b)/2, variance w^2/12, within [min, max)', () => {
  const spec: DistributionSpec = { dist: 'uniform', min: 2, max: 5 };
  const xs = sample(spec);
  const w = 3;
  assert.ok(xs.every((x) => x >= 2 && x < 5));
  checkMoments('uniform', xs, 3.5, (w * w) / 12, w ** 4 / 80);
  assert.equal(meanOf(spec), 3.5);
});

test('exponential(mean 0.25): mean m, variance m^2 (mu4 = 9 m^4), all >= 0 and finite', () => {
  const m = 0.25;
  const spec: DistributionSpec = { dist: 'exponential', mean: m };
  const xs = sample(spec);
  assert.ok(xs.every((x) => x >= 0 && Number.isFinite(x)));
  checkMoments('exponential', xs, m, m * m, 9 * m ** 4);
  assert.equal(meanOf(spec), m);
  // The median is m ln 2 (quantile SE with density f = 1/(2m) there).
  const se = Math.sqrt(0.25 / xs.length) * 2 * m;
  assert.ok(Math.abs(quantile(xs, 0.5) - m * Math.LN2) <= K * se);
});

test('normal(10, 2): mean, variance (mu4 = 3 sigma^4)', () => {
  const spec: DistributionSpec = { dist: 'normal', mean: 10, stddev: 2 };
  const xs = sample(spec);
  checkMoments('normal', xs, 10, 4, 3 * 16);
  assert.equal(meanOf(spec), 10);
  // Also the standard normal's p99 against Z99 (density phi(Z99) at the quantile).
  const rng = createStream(777, 'std-normal');
  const zs = Float64Array.from({ length: N }, () => standardNormal(rng));
  const phi = Math.exp((-Z99 * Z99) / 2) / Math.sqrt(2 * Math.PI);
  const se = Math.sqrt((0.99 * 0.01) / N) / phi;
  assert.ok(Math.abs(quantile(zs, 0.99) - Z99) <= K * se);
});

test('lognormal(mu, sigma): mean exp(mu + s^2/2), variance (e^{s^2} - 1) e^{2mu + s^2}', () => {
  const mu = -1;
  const sigma = 0.5;
  const spec: DistributionSpec = { dist: 'lognormal', mu, sigma };
  const xs = sample(spec);
  const s2 = sigma * sigma;
  const mean = Math.exp(mu + s2 / 2);
  const variance = (Math.exp(s2) - 1) * Math.exp(2 * mu + s2);
  // Kurtosis (not excess) of the lognormal: e^{4s^2} + 2e^{3s^2} + 3e^{2s^2} - 3.
  const kurtosis = Math.exp(4 * s2) + 2 * Math.exp(3 * s2) + 3 * Math.exp(2 * s2) - 3;
  assert.ok(xs.every((x) => x > 0));
  checkMoments('lognormal', xs, mean, variance, kurtosis * variance * variance);
  assert.ok(Math.abs(meanOf(spec) - mean) < 1e-15);
});

test('lognormalFromMeanP99(0.02, 0.12) has mean 0.02 and p99 0.12, exactly and empirically', () => {
  const { mu, sigma } = lognormalFromMeanP99(0.02, 0.12);
  assert.ok(Math.abs(Math.exp(mu + (sigma * sigma) / 2) - 0.02) < 1e-15, 'closed-form mean');
  assert.ok(Math.abs(Math.exp(mu + Z99 * sigma) - 0.12) < 1e-15, 'closed-form p99');
  const xs = sample({ dist: 'lognormal', mu, sigma });
  const s2 = sigma * sigma;
  const sd = 0.02 * Math.sqrt(Math.exp(s2) - 1);
  const { mean } = meanVar(xs);
  assert.ok(Math.abs(mean - 0.02) <= (K * sd) / Math.sqrt(N), `mean ${mean}`);
  // Lognormal density at q: phi(z) / (q sigma), with z = Z99 at q = p99.
  const density = Math.exp((-Z99 * Z99) / 2) / Math.sqrt(2 * Math.PI) / (0.12 * sigma);
  const seP99 = Math.sqrt((0.99 * 0.01) / N) / density;
  const p99 = quantile(xs, 0.99);
  assert.ok(Math.abs(p99 - 0.12) <= K * seP99, `p99 ${p99} (SE ${seP99})`);
});

test('lognormalFromMeanP99 round-trips any feasible (mean, ratio)', () => {
  const maxRatio = Math.exp((Z99 * Z99) / 2);
  fc.assert(
    fc.property(
      fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
      fc.double({ min: 1.001, max: maxRatio * 0.999, noNaN: true }),
      (mean, ratio) => {
        const p99 = mean * ratio;
        const { mu, sigma } = lognormalFromMeanP99(mean, p99);
        assert.ok(sigma > 0 && sigma <= Z99);
        assert.ok(Math.abs(Math.exp(mu + (sigma * sigma) / 2) / mean - 1) < 1e-9);
        assert.ok(Math.abs(Math.exp(mu + Z99 * sigma) / p99 - 1) < 1e-9);
      },
    ),
  );
});

test('lognormalFromMeanP99 rejects p99 <= mean, mean <= 0, and ratios above exp(z99^2/2)', () => {
  const maxRatio = Math.exp((Z99 * Z99) / 2); // about 14.97
  assert.ok(Math.abs(maxRatio - 14.97) < 0.01);
  assert.throws(() => lognormalFromMeanP99(0.02, 0.02), RangeError);
  assert.throws(() => lognormalFromMeanP99(0.02, 0.01), RangeError);
  assert.throws(() => lognormalFromMeanP99(0, 0.1), RangeError);
  assert.throws(() => lognormalFromMeanP99(-1, 0.1), RangeError);
  assert.throws(() => lognormalFromMeanP99(Number.NaN, 0.1), RangeError);
  assert.throws(() => lognormalFromMeanP99(1, maxRatio * 1.0001), RangeError);
  assert.throws(() => lognormalFromMeanP99(1, 100), RangeError);
  assert.doesNotThrow(() => lognormalFromMeanP99(1, maxRatio * 0.9999));
});

test('empirical values: each value equally likely; meanOf is their average', () => {
  const values = [1, 2, 2, 10];
  const spec: DistributionSpec = { dist: 'empirical', values };
  assert.equal(meanOf(spec), 15 / 4);
  const xs = sample(spec, 100_000);
  const counts = new Map<number, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  assert.deepEqual([...counts.keys()].sort((a, b) => a - b), [1, 2, 10]);
  for (const [v, p] of [[1, 0.25], [2, 0.5], [10, 0.25]] as const) {
    const se = Math.sqrt((p * (1 - p)) / xs.length);
    assert.ok(Math.abs(counts.get(v)! / xs.length - p) <= K * se, `P(${v})`);
  }
  // The caller's array is copied: mutating it later does not change the sampler.
  const mutable = [5, 5];
  const draw = sampler({ dist: 'empirical', values: mutable });
  mutable[0] = 99;
  mutable[1] = 99;
  assert.equal(draw(createStream(1, 'copy')), 5);
});

test('empirical points: piecewise-linear inverse CDF, hand-computed mean and quantiles', () => {
  // Q(p): 0.010 at p=0, 0.020 at p=0.5, 0.050 at p=0.9, 0.200 at p=1.
  const points = [
    { p: 0, value: 0.01 },
    { p: 0.5, value: 0.02 },
    { p: 0.9, value: 0.05 },
    { p: 1, value: 0.2 },
  ];
  const spec: DistributionSpec = { dist: 'empirical', points };
  // Trapezoids: 0.5*(0.01+0.02)/2 + 0.4*(0.02+0.05)/2 + 0.1*(0.05+0.2)/2
  //           = 0.0075 + 0.014 + 0.0125 = 0.034
  assert.ok(Math.abs(meanOf(spec) - 0.034) < 1e-15);

  // Exact interpolation at chosen u (the sampler is an inverse CDF of rng.float()).
  const draw = sampler(spec);
  const exact: [number, number][] = [
    [0, 0.01],
    [0.25, 0.015],
    [0.5, 0.02],
    [0.7, 0.035],
    [0.9, 0.05],
    [0.95, 0.125],
    [0.99, 0.185],
  ];
  for (const [u, v] of exact) assert.ok(Math.abs(draw(fixedU(u)) - v) < 1e-12, `Q(${u}) = ${draw(fixedU(u))}, want ${v}`);

  // Empirically: the fraction of samples <= Q(p) is p, within 5 SE of the binomial proportion.
  const xs = sample(spec);
  for (const [p, q] of exact.slice(1)) {
    let below = 0;
    for (const x of xs) if (x <= q) below++;
    const se = Math.sqrt((p * (1 - p)) / xs.length);
    assert.ok(Math.abs(below / xs.length - p) <= K * se, `F(${q}) = ${below / xs.length}, want ${p}`);
  }
  const { mean } = meanVar(xs);
  assert.ok(Math.abs(mean - 0.034) < 0.001, `sample mean ${mean}`);
});

test('empirical points with a step (repeated p) and with only two points', () => {
  const step: DistributionSpec = {
    dist: 'empirical',
    points: [
      { p: 0, value: 1 },
      { p: 0.5, value: 1 },
      { p: 0.5, value: 3 },
      { p: 1, value: 3 },
    ],
  };
  assert.equal(meanOf(step), 2);
  const draw = sampler(step);
  assert.equal(draw(fixedU(0.25)), 1);
  assert.equal(draw(fixedU(0.75)), 3);
  const line: DistributionSpec = { dist: 'empirical', points: [{ p: 0, value: 2 }, { p: 1, value: 4 }] };
  assert.equal(meanOf(line), 3);
  assert.equal(sampler(line)(fixedU(0.5)), 3);
});
