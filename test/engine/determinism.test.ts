/**
 * Same scenario + same seed => byte-identical CSVs; another seed => different numbers
 * (DESIGN.md, "Deterministic").
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScenarioRun } from '../../engine/run.js';
import { loadScenarioFile } from '../../engine/scenario/loader.js';
import { CsvOutputs } from '../../reports/csv-outputs.js';
import { repoPath } from '../helpers/paths.js';

const FILES = ['timeseries.csv', 'events.csv', 'totals.csv', 'summary.csv'];

async function runToDir(seed: number): Promise<Record<string, string>> {
  const { scenario } = loadScenarioFile(repoPath('scenarios/book-lab.yaml'), { duration: '3m', seed });
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-det-'));
  const outputs = new CsvOutputs(dir);
  const run = new ScenarioRun(scenario, outputs.observer('base', 1, seed));
  while (!run.done) {
    run.advance();
    await outputs.drained();
  }
  run.finish();
  await outputs.close();
  return Object.fromEntries(FILES.map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

test('the same seed twice gives byte-identical CSVs', async () => {
  const a = await runToDir(11);
  const b = await runToDir(11);
  for (const f of FILES) {
    assert.ok(a[f]!.split('\n').length > 2, `${f} has rows`);
    assert.equal(a[f], b[f], f);
  }
});

test('different seeds give different runs', async () => {
  const a = await runToDir(11);
  const b = await runToDir(12);
  assert.notEqual(a['timeseries.csv'], b['timeseries.csv']);
  assert.notEqual(a['events.csv'], b['events.csv']);
});
