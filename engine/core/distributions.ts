/**
 * Probability distributions that scenarios can name (service times, start-up delays, think
 * times). A spec is plain data, already in engine units (seconds for times); `sampler(spec)`
 * turns it into a function drawing from an RNG stream.
 *
 * Lognormal from (mean, p99): mean = exp(mu + sigma^2/2) and p99 = exp(mu + z99*sigma), so
 * ln(p99/mean) = z99*sigma - sigma^2/2, whose smaller root is
 * sigma = z99 - sqrt(z99^2 - 2 ln(p99/mean)). A real solution needs p99/mean <= exp(z99^2/2)
 * (about 14.97) and p99 > mean; `lognormalFromMeanP99` rejects anything else.
 */
import type { Rng } from './rng.js';

export type DistributionSpec =
  | { dist: 'constant'; value: number }
  | { dist: 'uniform'; min: number; max: number }
  | { dist: 'exponential'; mean: number }
  | { dist: 'normal'; mean: number; stddev: number }
  | { dist: 'lognormal'; mu: number; sigma: number }
  /** Draws one of `values` with equal probability (a resampled measurement). */
  | { dist: 'empirical'; values: number[] }
  /** Piecewise-linear inverse CDF through (p, value) points, p from 0 to 1 inclusive. */
  | { dist: 'empirical'; points: { p: number; value: number }[] };

export type Sampler = (rng: Rng) => number;

/** Upper 1% point of the standard normal, Phi^-1(0.99), to 16 digits. */
export const Z99 = 2.3263478740408408;

export function lognormalFromMeanP99(mean: number, p99: number): { mu: number; sigma: number } {
  if (!(mean > 0) || !(p99 > mean)) {
    throw new RangeError(`lognormal needs 0 < mean < p99, got mean ${mean} and p99 ${p99}`);
  }
  const gap = Z99 * Z99 - 2 * Math.log(p99 / mean);
  if (gap < 0) {
    throw new RangeError(
      `lognormal cannot have p99/mean = ${(p99 / mean).toFixed(2)}: the largest possible ratio is ${Math.exp((Z99 * Z99) / 2).toFixed(2)}`,
    );
  }
  const sigma = Z99 - Math.sqrt(gap);
  return { mu: Math.log(mean) - (sigma * sigma) / 2, sigma };
}

/** Box-Muller, one normal per call (the second is dropped to keep draws-per-sample constant). */
export function standardNormal(rng: Rng): number {
  let u = rng.float();
  while (u === 0) u = rng.float();
  const v = rng.float();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function sampler(spec: DistributionSpec): Sampler {
  switch (spec.dist) {
    case 'constant': {
      const value = spec.value;
      return () => value;
    }
    case 'uniform': {
      const { min } = spec;
      const width = spec.max - spec.min;
      return (rng) => min + width * rng.float();
    }
    case 'exponential': {
      const mean = spec.mean;
      // 1 - u lies in (0, 1], so the log is finite.
      return (rng) => -mean * Math.log(1 - rng.float());
    }
    case 'normal': {
      const { mean, stddev } = spec;
      return (rng) => mean + stddev * standardNormal(rng);
    }
    case 'lognormal': {
      const { mu, sigma } = spec;
      return (rng) => Math.exp(mu + sigma * standardNormal(rng));
    }
    case 'empirical': {
      if ('values' in spec) {
        const values = spec.values.slice();
        return (rng) => values[Math.floor(rng.float() * values.length)]!;
      }
      const ps = spec.points.map((pt) => pt.p);
      const vs = spec.points.map((pt) => pt.value);
      return (rng) => {
        const u = rng.float();
        let i = 1;
        while (i < ps.length - 1 && ps[i]! < u) i++;
        const p0 = ps[i - 1]!;
        const p1 = ps[i]!;
        const t = p1 > p0 ? (u - p0) / (p1 - p0) : 0;
        return vs[i - 1]! + t * (vs[i]! - vs[i - 1]!);
      };
    }
  }
}

/** The mean of a distribution, where it has a closed form (used by reports and validation). */
export function meanOf(spec: DistributionSpec): number {
  switch (spec.dist) {
    case 'constant':
      return spec.value;
    case 'uniform':
      return (spec.min + spec.max) / 2;
    case 'exponential':
      return spec.mean;
    case 'normal':
      return spec.mean;
    case 'lognormal':
      return Math.exp(spec.mu + (spec.sigma * spec.sigma) / 2);
    case 'empirical':
      if ('values' in spec) return spec.values.reduce((a, b) => a + b, 0) / spec.values.length;
      {
        // Area under the piecewise-linear inverse CDF.
        let area = 0;
        for (let i = 1; i < spec.points.length; i++) {
          const a = spec.points[i - 1]!;
          const b = spec.points[i]!;
          area += ((b.p - a.p) * (a.value + b.value)) / 2;
        }
        return area;
      }
  }
}
