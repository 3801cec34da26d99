/**
 * The rate functions of the open-loop shapes, each with a piecewise-constant upper bound (a
 * majorant) for thinning: `bound(t)` is >= the rate on [t, pieceEnd(t)). Where the rate is
 * itself piecewise constant (steps, spike, step traces) the bound is exact, so thinning
 * rejects nothing; ramps, linear traces and sinusoids are bounded piece by piece.
 * Times are seconds from the load's start.
 */
import type { OpenLoopSpec, RatePoint } from './arrival-spec.js';

export interface RateFunction {
  /** Requests per second at `t`. */
  rate(t: number): number;
  /** An upper bound of `rate` on [t, pieceEnd(t)). */
  bound(t: number): number;
  /** End of the piece holding `t` (Infinity for the last one). */
  pieceEnd(t: number): number;
}

/** Pieces a smooth shape is cut into for its majorant (more pieces: fewer rejected candidates). */
const PIECES = 64;

class Constant implements RateFunction {
  constructor(private readonly r: number) {}
  rate(): number {
    return this.r;
  }
  bound(): number {
    return this.r;
  }
  pieceEnd(): number {
    return Infinity;
  }
}

/** Index of the last of the sorted `times` at or before t, -1 if none (binary search). */
function lastAtOrBefore(times: Float64Array, t: number): number {
  if (times.length === 0 || t < times[0]!) return -1;
  let lo = 0;
  let hi = times.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (times[mid]! <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Piecewise constant through sorted points (rate 0 before the first). */
class Steps implements RateFunction {
  private readonly times: Float64Array;
  private readonly rates: Float64Array;
  constructor(points: readonly RatePoint[]) {
    this.times = Float64Array.from(points, (p) => p.time);
    this.rates = Float64Array.from(points, (p) => p.rate);
  }
  rate(t: number): number {
    const i = lastAtOrBefore(this.times, t);
    return i < 0 ? 0 : this.rates[i]!;
  }
  bound(t: number): number {
    return this.rate(t);
  }
  pieceEnd(t: number): number {
    const i = lastAtOrBefore(this.times, t);
    return i + 1 < this.times.length ? this.times[i + 1]! : Infinity;
  }
}

/** Linear between sorted points, the last rate held; bounded by the larger end of each segment. */
class Linear implements RateFunction {
  private readonly times: Float64Array;
  constructor(private readonly points: readonly RatePoint[]) {
    this.times = Float64Array.from(points, (p) => p.time);
  }
  private seg(t: number): number {
    return lastAtOrBefore(this.times, t);
  }
  rate(t: number): number {
    const i = this.seg(t);
    if (i < 0) return 0;
    const a = this.points[i]!;
    const b = this.points[i + 1];
    if (!b) return a.rate;
    return a.rate + ((b.rate - a.rate) * (t - a.time)) / (b.time - a.time);
  }
  bound(t: number): number {
    const i = this.seg(t);
    if (i < 0) return 0;
    const b = this.points[i + 1];
    return b ? Math.max(this.points[i]!.rate, b.rate) : this.points[i]!.rate;
  }
  pieceEnd(t: number): number {
    const i = this.seg(t);
    return i + 1 < this.times.length ? this.times[i + 1]! : Infinity;
  }
}

/** mean + amplitude cos(2 pi (t - peakAt) / period), bounded per 1/PIECES of a period. */
class Sinusoid implements RateFunction {
  private readonly width: number;
  constructor(
    private readonly mean: number,
    private readonly amplitude: number,
    private readonly period: number,
    private readonly peakAt: number,
  ) {
    this.width = period / PIECES;
  }
  rate(t: number): number {
    return Math.max(0, this.mean + this.amplitude * Math.cos((2 * Math.PI * (t - this.peakAt)) / this.period));
  }
  bound(t: number): number {
    const start = Math.floor(t / this.width) * this.width;
    const end = start + this.width;
    // A piece holds a peak iff a time peakAt + k*period falls inside it.
    const k = Math.ceil((start - this.peakAt) / this.period);
    if (this.peakAt + k * this.period < end) return this.mean + this.amplitude;
    return Math.max(this.rate(start), this.rate(end));
  }
  pieceEnd(t: number): number {
    return (Math.floor(t / this.width) + 1) * this.width;
  }
}

export function rateFunction(spec: OpenLoopSpec): RateFunction {
  switch (spec.type) {
    case 'constant':
    case 'poisson':
      return new Constant(spec.rate);
    case 'steps':
      return new Steps(spec.steps);
    case 'spike':
      return new Steps([
        { time: 0, rate: spec.rate },
        { time: spec.at, rate: spec.peak },
        { time: spec.at + spec.duration, rate: spec.rate },
      ].filter((p, i, all) => i === 0 || p.time > all[i - 1]!.time));
    case 'ramp': {
      // Cut into pieces so the majorant stays within 1/PIECES of the range of the rate.
      const points: RatePoint[] = [];
      for (let i = 0; i <= PIECES; i++) points.push({ time: (spec.over * i) / PIECES, rate: spec.from + ((spec.to - spec.from) * i) / PIECES });
      return new Linear(points);
    }
    case 'sinusoidal':
      return new Sinusoid(spec.mean, spec.amplitude, spec.period, spec.peakAt);
    case 'trace':
      return spec.interpolation === 'linear' ? new Linear(spec.points) : new Steps(spec.points);
  }
}
