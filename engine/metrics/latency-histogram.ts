/**
 * A log-bucketed latency histogram: constant memory whatever the number of samples, so a
 * run's memory does not grow with its simulated duration (DESIGN.md). Buckets grow by 1% from
 * 1 microsecond to ~1,000,000 s; a quantile is reported as the geometric middle of its bucket,
 * so it is within 0.5% of the exact order statistic. Quantiles use the nearest-rank definition
 * (the smallest value with at least q of the samples at or below it).
 */

const MIN_SECONDS = 1e-6;
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
const BUCKETS = Math.ceil(Math.log(1e6 / MIN_SECONDS) / LOG_GROWTH) + 2;

export class LatencyHistogram {
  private readonly counts = new Float64Array(BUCKETS);
  private n = 0;
  private sum = 0;
  private max = 0;

  get count(): number {
    return this.n;
  }

  get mean(): number {
    return this.n === 0 ? NaN : this.sum / this.n;
  }

  get maximum(): number {
    return this.n === 0 ? NaN : this.max;
  }

  record(seconds: number): void {
    const b = seconds <= MIN_SECONDS ? 0 : Math.min(BUCKETS - 1, 1 + Math.floor(Math.log(seconds / MIN_SECONDS) / LOG_GROWTH));
    this.counts[b]!++;
    this.n++;
    this.sum += seconds;
    if (seconds > this.max) this.max = seconds;
  }

  /** The q-quantile (0 < q <= 1) in seconds, NaN when empty. */
  quantile(q: number): number {
    if (this.n === 0) return NaN;
    const rank = Math.max(1, Math.ceil(q * this.n));
    let seen = 0;
    for (let b = 0; b < BUCKETS; b++) {
      seen += this.counts[b]!;
      if (seen >= rank) {
        if (b === 0) return MIN_SECONDS;
        const lower = MIN_SECONDS * GROWTH ** (b - 1);
        return Math.min(this.max, lower * Math.sqrt(GROWTH));
      }
    }
    return this.max;
  }

  merge(other: LatencyHistogram): void {
    for (let b = 0; b < BUCKETS; b++) this.counts[b]! += other.counts[b]!;
    this.n += other.n;
    this.sum += other.sum;
    if (other.max > this.max) this.max = other.max;
  }

  reset(): void {
    this.counts.fill(0);
    this.n = 0;
    this.sum = 0;
    this.max = 0;
  }
}
