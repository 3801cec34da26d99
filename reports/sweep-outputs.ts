/**
 * The files derived from a sweep's CSVs once its runs are written (by `run --runs N`, `compare`
 * and `merge` alike, so all three produce the same bytes from the same runs):
 * aggregate.csv, timeseries-aggregate.csv, and compare.csv when there are several variants.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AGGREGATE_FILE, aggregateCsvText } from './aggregate-csv.js';
import { COMPARE_FILE, compareCsvText, compareRows, type ComparisonRow } from './compare-csv.js';
import { CSV_FILES } from './csv-outputs.js';
import { sweepFigures, type SweepFigures } from './run-figures.js';
import { readSummaryCsv } from './summary-csv.js';
import { TIMESERIES_AGGREGATE_FILE, writeTimeseriesAggregate } from './timeseries-aggregate.js';

export interface DerivedOutputs {
  figures: SweepFigures;
  comparison: ComparisonRow[];
  files: string[];
}

/**
 * `timeseriesAggregate`: the records of timeseries-aggregate.csv when the caller computed them
 * while writing timeseries.csv (RunSetWriter's `aggregate`); otherwise the file is read back.
 */
export async function writeDerivedOutputs(dir: string, timeseriesAggregate?: string[][]): Promise<DerivedOutputs> {
  const figures = sweepFigures(await readSummaryCsv(join(dir, CSV_FILES.summary.file)));
  writeFileSync(join(dir, AGGREGATE_FILE), aggregateCsvText(figures));
  await writeTimeseriesAggregate(dir, timeseriesAggregate);
  const files = [AGGREGATE_FILE, TIMESERIES_AGGREGATE_FILE];
  const comparison = compareRows(figures);
  if (figures.variants.length > 1) {
    writeFileSync(join(dir, COMPARE_FILE), compareCsvText(comparison));
    files.push(COMPARE_FILE);
  } else {
    // A folder reused for a plain sweep must not keep a stale comparison.
    rmSync(join(dir, COMPARE_FILE), { force: true });
  }
  return { figures, comparison, files };
}
