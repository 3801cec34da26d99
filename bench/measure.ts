/**
 * One benchmark.js measurement, shared by the suites. Each call of `fn` performs a fixed batch of
 * operations, so throughput is `hz * batch`; benchmark.js picks how many calls make one sample
 * and how many samples fit in `maxTime`, and reports the relative margin of error (95%).
 */
import Benchmark from 'benchmark';

export interface Measurement {
  name: string;
  /** Operations (events, requests, ...) per second: benchmark.js `hz` times the batch size. */
  eventsPerSecond: number;
  /** Relative margin of error of `hz`, percent (95% confidence). */
  rme: number;
  samples: number;
}

export interface MeasureOptions {
  /** Seconds spent sampling (benchmark.js `maxTime`). */
  maxTime: number;
  minSamples: number;
}

export function measure(name: string, fn: () => void, batch: number, options: MeasureOptions): Measurement {
  // No setup/teardown: benchmark.js then calls `fn` itself instead of decompiling its source,
  // so closures over the prefilled queues keep working.
  const bench = new Benchmark(name, fn, {
    maxTime: options.maxTime,
    minSamples: options.minSamples,
    initCount: 1,
    async: false,
  });
  bench.run();
  if (bench.error) throw bench.error;
  return {
    name,
    eventsPerSecond: bench.hz * batch,
    rme: bench.stats.rme,
    samples: bench.stats.sample.length,
  };
}

/** `1e3` for 1000, `1e6` for 1000000; other sizes as plain numbers. */
export function sizeLabel(n: number): string {
  const exp = Math.round(Math.log10(n));
  return 10 ** exp === n ? `1e${exp}` : String(n);
}

/** `12.3 M/s`-style throughput for progress lines. */
export function formatRate(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)} M/s`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)} k/s`;
  return `${perSecond.toFixed(0)} /s`;
}
