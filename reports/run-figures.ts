/**
 * The run-wide figures of a sweep, read back from its summary.csv: per variant (in the order
 * they first appear, which is the sweep's order) and per metric, the value of each run that
 * produced one. Everything derived (aggregate.csv, compare.csv, the report) is computed from the
 * written CSV, never from in-memory doubles, so a merged sweep derives exactly what a single
 * machine derives.
 */
import type { SummaryRow } from './summary-csv.js';

export interface VariantFigures {
  variant: string;
  /** metric -> run number -> value (runs without a value, e.g. failed ones, are absent). */
  byMetric: Map<string, Map<number, number>>;
  runs: number;
  failed: number;
}

export interface SweepFigures {
  metrics: string[];
  variants: VariantFigures[];
}

export function sweepFigures(rows: readonly SummaryRow[]): SweepFigures {
  const metrics = rows.find((r) => r.error === undefined)?.values.map(([k]) => k) ?? [];
  const variants = new Map<string, VariantFigures>();
  for (const row of rows) {
    let v = variants.get(row.variant);
    if (!v) {
      v = { variant: row.variant, byMetric: new Map(metrics.map((m) => [m, new Map()])), runs: 0, failed: 0 };
      variants.set(row.variant, v);
    }
    v.runs++;
    if (row.error !== undefined) {
      v.failed++;
      continue;
    }
    for (const [metric, cell] of row.values) {
      if (cell === '') continue;
      v.byMetric.get(metric)?.set(Number(row.run), Number(cell));
    }
  }
  return { metrics, variants: [...variants.values()] };
}

/** The values of one metric, in run order. */
export function valuesOf(v: VariantFigures, metric: string): number[] {
  return [...(v.byMetric.get(metric) ?? new Map<number, number>()).entries()].sort((a, b) => a[0] - b[0]).map(([, x]) => x);
}
