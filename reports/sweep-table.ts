/**
 * What `run --runs N` and `compare` print: the key run-wide figures as mean and 95% interval per
 * variant, and for comparisons the paired difference to the baseline, marked `*` when its
 * interval excludes zero. Every metric is in aggregate.csv / compare.csv; the terminal shows the
 * ones a user reads first.
 */
import type { ComparisonRow } from './compare-csv.js';
import { formatPValue } from './compare-csv.js';

export const KEY_METRICS = [
  'requests',
  'requests_served',
  'requests_failed',
  'error_rate',
  'latency_mean_ms',
  'latency_p50_ms',
  'latency_p95_ms',
  'latency_p99_ms',
  'pods_created',
  'pods_pending_at_end',
];

function num(v: number): string {
  if (!Number.isFinite(v)) return '-';
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  if (a >= 100) return v.toFixed(1);
  if (a >= 1 || a === 0) return v.toFixed(2);
  return v.toPrecision(3);
}

function interval(low: number, high: number): string {
  return Number.isFinite(low) && Number.isFinite(high) ? `[${num(low)}, ${num(high)}]` : '-';
}

function signed(v: number): string {
  return Number.isFinite(v) && v > 0 ? `+${num(v)}` : num(v);
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => `  ${r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()}\n`).join('');
}

/** The table of a comparison (or of a single variant's replications, without diff columns). */
export function formatComparisonTable(rows: readonly ComparisonRow[]): string {
  const present = new Set(rows.map((r) => r.metric));
  const metrics = KEY_METRICS.filter((m) => present.has(m));
  const withDiff = rows.some((r) => r.diff);
  const head = ['metric', 'variant', 'n', 'mean', '95% CI'];
  if (withDiff) head.push('diff vs first', '95% CI', 'p');
  const out: string[][] = [head];
  for (const metric of metrics) {
    rows
      .filter((r) => r.metric === metric)
      .forEach((r, i) => {
        const line = [i === 0 ? metric : '', r.variant, String(r.alone.n), num(r.alone.mean), interval(r.alone.ciLow, r.alone.ciHigh)];
        if (r.diff) line.push(`${signed(r.diff.meanDiff)}${r.significant ? ' *' : ''}`, interval(r.diff.ciLow, r.diff.ciHigh), formatPValue(r.diff.p) || '-');
        out.push(line);
      });
  }
  const note = withDiff ? '  * the 95% interval of the paired difference excludes 0\n' : '';
  return table(out) + note;
}
