/**
 * Means, intervals and the paired t-test against R, on Student's sleep data (Cushny & Peebles
 * 1905, R's `sleep` data set): extra hours of sleep of 10 patients under two drugs.
 *
 *   > t.test(extra ~ 1, data = sleep[1:10, ])          # drug 1 alone
 *   t = 1.3257, df = 9, p-value = 0.2176
 *   95 percent confidence interval: -0.5297804  2.0297804;  mean of x 0.75
 *   > with(sleep, t.test(extra[1:10], extra[11:20], paired = TRUE))
 *   t = -4.0621, df = 9, p-value = 0.002833
 *   95 percent confidence interval: -2.4598858 -0.7001142;  mean difference -1.58
 *   > sd(sleep$extra[1:10])  1.78901;  quantile(sleep$extra[1:10], c(.5, .95))  0.35  3.565
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { describe, excludesZero, meanInterval, pairedTTest } from '../../reports/stats/estimates.js';

const DRUG1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const DRUG2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

function near(actual: number, expected: number, digits: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 0.5 * 10 ** -digits, `${what}: ${actual} vs ${expected}`);
}

test('one-sample interval: R t.test on drug 1', () => {
  const m = meanInterval(DRUG1);
  assert.equal(m.n, 10);
  near(m.mean, 0.75, 12, 'mean');
  near(m.sd, 1.78901, 5, 'sd');
  near(m.ciLow, -0.5297804, 7, 'ci low');
  near(m.ciHigh, 2.0297804, 7, 'ci high');
});

test('paired t-test: R t.test(paired = TRUE) on the sleep data', () => {
  const p = pairedTTest(DRUG1, DRUG2);
  assert.equal(p.n, 10);
  assert.equal(p.df, 9);
  near(p.meanDiff, -1.58, 12, 'mean difference');
  near(p.t, -4.0621, 4, 't');
  near(p.ciLow, -2.4598858, 7, 'ci low');
  near(p.ciHigh, -0.7001142, 7, 'ci high');
  near(p.p, 0.002833, 6, 'p-value');
  assert.ok(excludesZero(p.ciLow, p.ciHigh));
});

test('order statistics use R type 7 quantiles', () => {
  const d = describe(DRUG1);
  assert.equal(d.min, -1.6);
  assert.equal(d.max, 3.7);
  near(d.p50, 0.35, 12, 'median');
  near(d.p95, 3.565, 12, 'p95');
});

test('degenerate samples: no interval from one value; equal differences have no p-value', () => {
  const one = meanInterval([4]);
  assert.equal(one.mean, 4);
  assert.ok(Number.isNaN(one.sd) && Number.isNaN(one.ciLow));
  const constant = pairedTTest([3, 4, 5], [1, 2, 3]);
  assert.equal(constant.meanDiff, 2);
  assert.equal(constant.ciLow, 2);
  assert.equal(constant.ciHigh, 2);
  assert.ok(Number.isNaN(constant.p));
  assert.ok(!excludesZero(0, 0));
  assert.throws(() => pairedTTest([1], [1, 2]), RangeError);
});
