/**
 * compare.csv: every variant against the first one (the baseline), per run-wide metric:
 *
 *   variant,metric,n,mean,sd,ci95_low,ci95_high,diff_pairs,diff_mean,diff_ci95_low,diff_ci95_high,p_value,significant
 *
 * The first seven columns describe the variant alone (as in aggregate.csv). The `diff_` columns
 * are the paired difference variant - baseline over the runs both completed (run i of every
 * variant has the same seed: common random numbers), with its Student-t 95% interval and the
 * two-sided p-value of the paired t-test; `significant` is `yes` when the interval excludes 0.
 * They are empty on the baseline's own rows, and p_value is empty when every paired difference
 * is equal (the test is undefined; the interval then is that difference).
 */
import { stringify } from 'csv-stringify/sync';
import { formatNumber } from './format.js';
import type { SweepFigures, VariantFigures } from './run-figures.js';
import { valuesOf } from './run-figures.js';
import { excludesZero, meanInterval, pairedTTest, type MeanInterval, type PairedTest } from './stats/estimates.js';

export const COMPARE_FILE = 'compare.csv';
export const COMPARE_COLUMNS = [
  'variant', 'metric', 'n', 'mean', 'sd', 'ci95_low', 'ci95_high',
  'diff_pairs', 'diff_mean', 'diff_ci95_low', 'diff_ci95_high', 'p_value', 'significant',
];

export interface ComparisonRow {
  variant: string;
  metric: string;
  alone: MeanInterval;
  /** Undefined on the baseline's rows. */
  diff?: PairedTest;
  significant?: boolean;
}

export function compareRows(figures: SweepFigures): ComparisonRow[] {
  const [baseline] = figures.variants;
  const rows: ComparisonRow[] = [];
  for (const v of figures.variants) {
    for (const metric of figures.metrics) {
      const row: ComparisonRow = { variant: v.variant, metric, alone: meanInterval(valuesOf(v, metric)) };
      if (baseline && v !== baseline) {
        row.diff = paired(v, baseline, metric);
        row.significant = excludesZero(row.diff.ciLow, row.diff.ciHigh);
      }
      rows.push(row);
    }
  }
  return rows;
}

function paired(v: VariantFigures, baseline: VariantFigures, metric: string): PairedTest {
  const mine = v.byMetric.get(metric) ?? new Map<number, number>();
  const theirs = baseline.byMetric.get(metric) ?? new Map<number, number>();
  const runs = [...mine.keys()].filter((run) => theirs.has(run)).sort((a, b) => a - b);
  return pairedTTest(
    runs.map((r) => mine.get(r)!),
    runs.map((r) => theirs.get(r)!),
  );
}

/** Six significant digits: a p-value of 3e-9 is information that 6 decimals would round to 0. */
export function formatPValue(p: number): string {
  return Number.isFinite(p) ? String(Number(p.toPrecision(6))) : '';
}

export function compareCsvText(rows: readonly ComparisonRow[]): string {
  const records = rows.map((r) => {
    const a = r.alone;
    const d = r.diff;
    const diffCells = d
      ? [String(d.n), ...[d.meanDiff, d.ciLow, d.ciHigh].map(formatNumber), formatPValue(d.p), r.significant ? 'yes' : 'no']
      : ['', '', '', '', '', ''];
    return [r.variant, r.metric, String(a.n), ...[a.mean, a.sd, a.ciLow, a.ciHigh].map(formatNumber), ...diffCells];
  });
  return stringify(records, { header: true, columns: COMPARE_COLUMNS, record_delimiter: 'unix' });
}
