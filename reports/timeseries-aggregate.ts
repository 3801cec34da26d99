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
import { stringify } from 'csv-stringify/sync';
import { CSV_FILES } from './csv-outputs.js';
import { readCsvRecords } from './csv-read.js';
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

export async function writeTimeseriesAggregate(dir: string): Promise<void> {
  const records = await aggregateTimeseries(dir);
  writeFileSync(join(dir, TIMESERIES_AGGREGATE_FILE), stringify(records, { header: true, columns: TIMESERIES_AGGREGATE_COLUMNS, record_delimiter: 'unix' }));
}

/** The records of timeseries-aggregate.csv (without header), computed from the folder's timeseries.csv. */
export async function aggregateTimeseries(dir: string): Promise<string[][]> {
  const points = new Map<string, Point>();
  let header = true;
  // Column positions in timeseries.csv: variant,run,seed,time_s,kind,namespace,name,metric,value.
  for await (const r of readCsvRecords(join(dir, CSV_FILES.timeseries.file))) {
    if (header) {
      header = false;
      continue;
    }
    if (r[8] === '' || r[8] === undefined) continue; // no value in that interval
    const key = [r[0]!, r[3]!, r[4]!, r[5]!, r[6]!, r[7]!];
    const id = key.join('\u0000');
    let p = points.get(id);
    if (!p) {
      p = { key, n: 0, mean: 0, m2: 0, min: Infinity, max: -Infinity };
      points.set(id, p);
    }
    const x = Number(r[8]);
    p.n++;
    const delta = x - p.mean;
    p.mean += delta / p.n;
    p.m2 += delta * (x - p.mean);
    if (x < p.min) p.min = x;
    if (x > p.max) p.max = x;
  }
  const tCache = new Map<number, number>();
  return [...points.values()].map((p) => {
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
