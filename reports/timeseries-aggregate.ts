/**
 * timeseries-aggregate.csv: each time series averaged over the runs of a variant, per sample
 * instant, with a 95% band for plots:
 *
 *   variant,time_s,kind,namespace,name,metric,n,mean,sd,ci95_low,ci95_high,min,max
 *
 * The band is the Student-t confidence interval of the mean at that instant (where the average
 * run is), min/max the envelope of the runs. Rows come in the order the series first appear in
 * timeseries.csv (per variant, run 1's order: time, then object).
 *
 * timeseries.csv is streamed; the state is one running mean/variance (Welford 1962) per
 * (variant, instant, series), so memory grows with the number of points of one run per variant,
 * not with the number of runs.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvLine } from './csv-line.js';
import { CSV_FILES } from './csv-outputs.js';
import { readCsvBatches } from './csv-read.js';
import { formatNumber } from './format.js';
import { CONFIDENCE } from './stats/estimates.js';
import { studentTQuantile } from './stats/student-t.js';

export const TIMESERIES_AGGREGATE_FILE = 'timeseries-aggregate.csv';
export const TIMESERIES_AGGREGATE_COLUMNS = ['variant', 'time_s', 'kind', 'namespace', 'name', 'metric', 'n', 'mean', 'sd', 'ci95_low', 'ci95_high', 'min', 'max'];

interface Point {
  /** variant, time_s, kind, namespace, name, metric: as written in timeseries.csv. */
  key: string[];
  n: number;
  mean: number;
  m2: number;
  min: number;
  max: number;
}

/** Writes the file from `records` when given (computed as the sweep went), else from the folder's timeseries.csv. */
export async function writeTimeseriesAggregate(dir: string, records?: string[][]): Promise<void> {
  records ??= await aggregateTimeseries(dir);
  // csvLine formats as csv-stringify does (reports/csv-line.ts), without a stream per file.
  writeFileSync(join(dir, TIMESERIES_AGGREGATE_FILE), csvLine(TIMESERIES_AGGREGATE_COLUMNS) + records.map(csvLine).join(''));
}

/** The records of timeseries-aggregate.csv (without header), computed from the folder's timeseries.csv. */
export async function aggregateTimeseries(dir: string): Promise<string[][]> {
  const aggregator = new TimeseriesAggregator();
  let header = true;
  for await (const batch of readCsvBatches(join(dir, CSV_FILES.timeseries.file))) {
    for (const r of batch) {
      if (header) header = false;
      else aggregator.add(r);
    }
  }
  return aggregator.records();
}

/** The running statistics, fed the records of timeseries.csv (without header) in file order. */
export class TimeseriesAggregator {
  private readonly points = new Map<string, Point>();

  add(r: readonly string[]): void {
    // Column positions in timeseries.csv: variant,run,seed,time_s,kind,namespace,name,metric,value.
    if (r[8] === '' || r[8] === undefined) return; // no value in that interval
    // One string per row for the lookup; the key's cells are kept only for a new point.
    const id = `${r[0]}\u0000${r[3]}\u0000${r[4]}\u0000${r[5]}\u0000${r[6]}\u0000${r[7]}`;
    let p = this.points.get(id);
    if (!p) {
      p = { key: [r[0]!, r[3]!, r[4]!, r[5]!, r[6]!, r[7]!], n: 0, mean: 0, m2: 0, min: Infinity, max: -Infinity };
      this.points.set(id, p);
    }
    const x = Number(r[8]);
    p.n++;
    const delta = x - p.mean;
    p.mean += delta / p.n;
    p.m2 += delta * (x - p.mean);
    if (x < p.min) p.min = x;
    if (x > p.max) p.max = x;
  }

  /** The records of timeseries-aggregate.csv (without header), points in order of first appearance. */
  records(): string[][] {
    const tCache = new Map<number, number>();
    return [...this.points.values()].map((p) => {
      const sd = p.n > 1 ? Math.sqrt(p.m2 / (p.n - 1)) : NaN;
      let half = NaN;
      if (p.n > 1) {
        let t = tCache.get(p.n);
        if (t === undefined) tCache.set(p.n, (t = studentTQuantile(1 - (1 - CONFIDENCE) / 2, p.n - 1)));
        half = (t * sd) / Math.sqrt(p.n);
      }
      return [...p.key, String(p.n), ...[p.mean, sd, p.mean - half, p.mean + half, p.min, p.max].map(formatNumber)];
    });
  }
}
