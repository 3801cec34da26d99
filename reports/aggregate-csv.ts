/**
 * aggregate.csv: per variant and run-wide metric, across the runs of a sweep:
 *
 *   variant,metric,n,mean,sd,ci95_low,ci95_high,min,p50,p95,max
 *
 * `n` counts the runs with a value (failed runs and empty cells, e.g. no latency without
 * requests, are left out); the interval is Student t on n - 1 degrees of freedom
 * (reports/stats/estimates.ts).
 */
import { stringify } from 'csv-stringify/sync';
import { formatNumber } from './format.js';
import type { SweepFigures } from './run-figures.js';
import { valuesOf } from './run-figures.js';
import { describe } from './stats/estimates.js';

export const AGGREGATE_FILE = 'aggregate.csv';
export const AGGREGATE_COLUMNS = ['variant', 'metric', 'n', 'mean', 'sd', 'ci95_low', 'ci95_high', 'min', 'p50', 'p95', 'max'];

export function aggregateCsvText(figures: SweepFigures): string {
  const records: string[][] = [];
  for (const v of figures.variants) {
    for (const metric of figures.metrics) {
      const d = describe(valuesOf(v, metric));
      records.push([v.variant, metric, String(d.n), ...[d.mean, d.sd, d.ciLow, d.ciHigh, d.min, d.p50, d.p95, d.max].map(formatNumber)]);
    }
  }
  return stringify(records, { header: true, columns: AGGREGATE_COLUMNS, record_delimiter: 'unix' });
}
