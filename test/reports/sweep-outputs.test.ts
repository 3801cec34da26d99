/**
 * The files derived from a sweep folder (aggregate.csv, compare.csv, timeseries-aggregate.csv),
 * on a hand-made folder whose figures are Student's sleep data, so every number is checked
 * against R (see estimates.test.ts for the R session):
 *   variant a = drug 1, variant b = drug 2, run i = patient i; b - a has mean 1.58,
 *   95% CI [0.7001142, 2.4598858], p = 0.002833; a alone: mean 0.75, CI [-0.5297804, 2.0297804].
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../../reports/csv-read.js';
import { writeDerivedOutputs } from '../../reports/sweep-outputs.js';
import { summaryCsvText, type SummaryRow } from '../../reports/summary-csv.js';
import { formatComparisonTable } from '../../reports/sweep-table.js';
import { tempDir } from '../parallel/sweep-helpers.js';

const DRUG1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const DRUG2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

function folder(): string {
  const dir = tempDir('derived');
  const rows: SummaryRow[] = [];
  for (const [variant, data] of [['a', DRUG1], ['b', DRUG2]] as const) {
    data.forEach((x, i) => rows.push({ variant, run: String(i + 1), seed: String(100 + i), values: [['extra', String(x)], ['constant', '5']] }));
  }
  // Run 11 of b failed: it must not count, nor pair.
  rows.push({ variant: 'b', run: '11', seed: '110', values: [], error: 'InvariantError: boom' });
  writeFileSync(join(dir, 'summary.csv'), summaryCsvText(rows));
  const ts = ['variant,run,seed,time_s,kind,namespace,name,metric,value'];
  // Two runs, two instants: pods 2 and 4 at t=5 (mean 3, sd sqrt 2), 3 and 3 at t=10; latency missing once.
  ts.push('a,1,100,5,Cluster,,,pods,2', 'a,1,100,5,Service,default,web,latency_ms,10', 'a,1,100,10,Cluster,,,pods,3');
  ts.push('a,2,101,5,Cluster,,,pods,4', 'a,2,101,5,Service,default,web,latency_ms,', 'a,2,101,10,Cluster,,,pods,3');
  writeFileSync(join(dir, 'timeseries.csv'), `${ts.join('\n')}\n`);
  return dir;
}

function table(dir: string, file: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(readFileSync(join(dir, file), 'utf8'));
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
}

function near(cell: string | undefined, expected: number, digits: number, what: string): void {
  assert.ok(Math.abs(Number(cell) - expected) <= 0.5 * 10 ** -digits + 1e-6, `${what}: ${cell} vs ${expected}`);
}

test('summary.csv of a sweep with a failure: the figure columns, then error', () => {
  const text = readFileSync(join(folder(), 'summary.csv'), 'utf8');
  const lines = text.trimEnd().split('\n');
  assert.equal(lines[0], 'variant,run,seed,extra,constant,error');
  assert.equal(lines[1], 'a,1,100,0.7,5,');
  assert.equal(lines.at(-1), 'b,11,110,,,InvariantError: boom');
});

test('aggregate.csv: n, mean, sd, t interval and order statistics per variant and metric', async () => {
  const dir = folder();
  await writeDerivedOutputs(dir);
  const rows = table(dir, 'aggregate.csv');
  const a = rows.find((r) => r.variant === 'a' && r.metric === 'extra')!;
  assert.equal(a.n, '10');
  near(a.mean, 0.75, 6, 'mean');
  near(a.sd, 1.78901, 5, 'sd');
  near(a.ci95_low, -0.5297804, 6, 'ci low');
  near(a.ci95_high, 2.0297804, 6, 'ci high');
  assert.deepEqual([a.min, a.p50, a.p95, a.max], ['-1.6', '0.35', '3.565', '3.7']);
  const b = rows.find((r) => r.variant === 'b' && r.metric === 'extra')!;
  assert.equal(b.n, '10', 'the failed run is left out');
  assert.deepEqual(Object.keys(rows[0]!), ['variant', 'metric', 'n', 'mean', 'sd', 'ci95_low', 'ci95_high', 'min', 'p50', 'p95', 'max']);
});

test('compare.csv: the paired difference to the first variant, its interval and p-value', async () => {
  const dir = folder();
  const derived = await writeDerivedOutputs(dir);
  const rows = table(dir, 'compare.csv');
  const baseline = rows.find((r) => r.variant === 'a' && r.metric === 'extra')!;
  assert.equal(baseline.diff_mean, '', 'no difference on the baseline');
  const b = rows.find((r) => r.variant === 'b' && r.metric === 'extra')!;
  assert.equal(b.diff_pairs, '10');
  near(b.diff_mean, 1.58, 6, 'diff');
  near(b.diff_ci95_low, 0.7001142, 6, 'diff ci low');
  near(b.diff_ci95_high, 2.4598858, 6, 'diff ci high');
  near(b.p_value, 0.002833, 6, 'p');
  assert.equal(b.significant, 'yes');
  const constant = rows.find((r) => r.variant === 'b' && r.metric === 'constant')!;
  assert.deepEqual([constant.diff_mean, constant.p_value, constant.significant], ['0', '', 'no']);
  assert.match(formatComparisonTable(derived.comparison), /^ {2}metric +variant/);
});

test('timeseries-aggregate.csv: mean and t band per instant, empty values left out', async () => {
  const dir = folder();
  await writeDerivedOutputs(dir);
  const rows = table(dir, 'timeseries-aggregate.csv');
  assert.deepEqual(
    rows.map((r) => [r.variant, r.time_s, r.kind, r.name, r.metric, r.n, r.mean]),
    [
      ['a', '5', 'Cluster', '', 'pods', '2', '3'],
      ['a', '5', 'Service', 'web', 'latency_ms', '1', '10'],
      ['a', '10', 'Cluster', '', 'pods', '2', '3'],
    ],
  );
  // mean 3, sd sqrt(2), t(0.975, 1) = 12.7062047: half-width 12.7062047 * sqrt(2) / sqrt(2).
  near(rows[0]!.ci95_low, 3 - 12.7062047, 6, 'band low');
  near(rows[0]!.ci95_high, 3 + 12.7062047, 6, 'band high');
  assert.deepEqual([rows[0]!.min, rows[0]!.max], ['2', '4']);
  assert.equal(rows[1]!.ci95_low, '', 'no band from one run');
});
