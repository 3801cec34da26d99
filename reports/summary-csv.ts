/**
 * summary.csv of a sweep (several runs, variants): one row per run, in run order. The columns
 * are those of a single run (`variant,run,seed`, then the run-wide figures in the order the
 * engine reports them) plus, only when at least one run failed, a last column `error` holding
 * the failed run's message (its figure cells are empty). A sweep without failures therefore
 * writes exactly the summary.csv the runs would write one at a time.
 *
 * Written once at the end (it is one short row per run), because its header depends on every
 * run; the big files (timeseries, events) are the ones that stream.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { CSV_FILES } from './csv-outputs.js';
import { readCsvRecords } from './csv-read.js';

export interface SummaryRow {
  variant: string;
  run: string;
  seed: string;
  /** Formatted figures by name, in the engine's order (empty for a failed run). */
  values: readonly (readonly [string, string])[];
  /** The failure message of a run that threw. */
  error?: string;
}

export const ERROR_COLUMN = 'error';

export function summaryCsvText(rows: readonly SummaryRow[]): string {
  const base: string[] = [...CSV_FILES.summary.columns];
  const metrics = rows.find((r) => r.error === undefined)?.values.map(([k]) => k) ?? [];
  const failed = rows.some((r) => r.error !== undefined);
  const columns = [...base, ...metrics, ...(failed ? [ERROR_COLUMN] : [])];
  const records = rows.map((r) => {
    const values = new Map(r.values);
    const cells = [r.variant, r.run, r.seed, ...metrics.map((m) => values.get(m) ?? '')];
    if (failed) cells.push(r.error ?? '');
    return cells;
  });
  return stringify(records, { header: true, columns, record_delimiter: 'unix' });
}

export function writeSummaryCsv(dir: string, rows: readonly SummaryRow[]): void {
  writeFileSync(join(dir, CSV_FILES.summary.file), summaryCsvText(rows));
}

/** Reads a summary.csv written by kubesim (a single run's or a sweep's) back into rows. */
export async function readSummaryCsv(file: string): Promise<SummaryRow[]> {
  const rows: SummaryRow[] = [];
  let header: string[] | undefined;
  for await (const record of readCsvRecords(file)) {
    if (!header) {
      header = record;
      continue;
    }
    const h = header;
    const errorAt = h.indexOf(ERROR_COLUMN);
    const error = errorAt >= 0 && record[errorAt] !== '' ? record[errorAt] : undefined;
    const values: [string, string][] = [];
    for (let i = 3; i < h.length; i++) if (i !== errorAt) values.push([h[i]!, record[i] ?? '']);
    rows.push({ variant: record[0]!, run: record[1]!, seed: record[2]!, values: error === undefined ? values : [], error });
  }
  return rows;
}
