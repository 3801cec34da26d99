/**
 * Estimates across Monte-Carlo runs: mean, standard deviation, Student-t confidence interval of
 * the mean, order statistics, and the paired t-test of two variants run on the same seeds.
 *
 * Conventions (those of R, so numbers can be checked there): `sd` is the sample standard
 * deviation (n - 1 denominator, R's sd()); the CI is mean +- t(0.975, n-1) * sd / sqrt(n), as
 * R's t.test(); quantiles interpolate linearly between order statistics (R's default type 7,
 * numpy's default). With fewer than two values, sd and the interval are undefined (NaN, written
 * as an empty cell).
 */
import { studentTQuantile, studentTTwoSidedP } from './student-t.js';

export const CONFIDENCE = 0.95;

export interface Description {
  n: number;
  mean: number;
  sd: number;
  ciLow: number;
  ciHigh: number;
  min: number;
  p50: number;
  p95: number;
  max: number;
}

export interface MeanInterval {
  n: number;
  mean: number;
  sd: number;
  ciLow: number;
  ciHigh: number;
}

/** Mean and sample sd, two-pass (the second pass removes the mean before squaring). */
export function meanAndSd(values: readonly number[]): { n: number; mean: number; sd: number } {
  const n = values.length;
  if (n === 0) return { n, mean: NaN, sd: NaN };
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  if (n < 2) return { n, mean, sd: NaN };
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  return { n, mean, sd: Math.sqrt(squares / (n - 1)) };
}

export function meanInterval(values: readonly number[], confidence = CONFIDENCE): MeanInterval {
  const { n, mean, sd } = meanAndSd(values);
  if (n < 2) return { n, mean, sd, ciLow: NaN, ciHigh: NaN };
  const half = studentTQuantile(1 - (1 - confidence) / 2, n - 1) * (sd / Math.sqrt(n));
  return { n, mean, sd, ciLow: mean - half, ciHigh: mean + half };
}

/** R's quantile(type = 7) of already sorted values. */
export function quantileSorted(sorted: readonly number[], p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export function describe(values: readonly number[]): Description {
  const sorted = [...values].sort((a, b) => a - b);
  const interval = meanInterval(values);
  return {
    ...interval,
    min: sorted.length ? sorted[0]! : NaN,
    p50: quantileSorted(sorted, 0.5),
    p95: quantileSorted(sorted, 0.95),
    max: sorted.length ? sorted[sorted.length - 1]! : NaN,
  };
}

export interface PairedTest {
  /** Pairs used. */
  n: number;
  /** Mean of (variant - baseline). */
  meanDiff: number;
  ciLow: number;
  ciHigh: number;
  t: number;
  df: number;
  /** Two-sided p-value of H0: mean difference = 0. */
  p: number;
}

/**
 * The paired t-test (R: t.test(x, y, paired = TRUE)) of `x - y` over pairs. With common random
 * numbers, run i of every variant has the same seed, so the pairs share their randomness and
 * the test sees the effect of the variant rather than seed-to-seed noise.
 * When every difference is equal the sd is 0: the interval collapses to that difference and the
 * p-value is undefined (R refuses: "data are essentially constant").
 */
export function pairedTTest(x: readonly number[], y: readonly number[], confidence = CONFIDENCE): PairedTest {
  if (x.length !== y.length) throw new RangeError(`paired samples differ in length: ${x.length} and ${y.length}`);
  const diffs = x.map((v, i) => v - y[i]!);
  const { n, mean, sd, ciLow, ciHigh } = meanInterval(diffs, confidence);
  if (n < 2) return { n, meanDiff: mean, ciLow: NaN, ciHigh: NaN, t: NaN, df: NaN, p: NaN };
  if (sd === 0) return { n, meanDiff: mean, ciLow: mean, ciHigh: mean, t: NaN, df: n - 1, p: NaN };
  const t = mean / (sd / Math.sqrt(n));
  return { n, meanDiff: mean, ciLow, ciHigh, t, df: n - 1, p: studentTTwoSidedP(t, n - 1) };
}

/** True when a difference's interval excludes zero (the "significant at 5%" mark). */
export function excludesZero(low: number, high: number): boolean {
  return (low > 0 && high > 0) || (low < 0 && high < 0);
}
