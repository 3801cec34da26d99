/**
 * Replications on worker threads write byte-identical CSVs whatever the number of workers, and
 * exactly what the same runs write one at a time through the single-run path (CsvOutputs).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { ScenarioRun } from '../../engine/run.js';
import { planTasks } from '../../engine/parallel/plan.js';
import { replicationSeed } from '../../engine/parallel/seeds.js';
import { runSweep } from '../../engine/parallel/sweep.js';
import { aggregateTimeseries } from '../../reports/timeseries-aggregate.js';
import { CsvOutputs } from '../../reports/csv-outputs.js';
import { readFiles, shortScenario, sweep, SWEEP_FILES, tempDir } from './sweep-helpers.js';

const RUNS = 5;

/** The reference: the runs one after the other in this thread, into one CsvOutputs. */
async function oneAtATime(runs: number): Promise<Record<string, string>> {
  const scenario = shortScenario();
  const dir = tempDir('sequential');
  const outputs = new CsvOutputs(dir);
  for (let run = 1; run <= runs; run++) {
    const seed = replicationSeed(scenario.seed, run);
    const r = new ScenarioRun(scenario, outputs.observer('base', run, seed), { seed });
    while (!r.done) {
      r.advance();
      await outputs.drained();
    }
    r.finish();
  }
  await outputs.close();
  return readFiles(dir, SWEEP_FILES);
}

test('W = 1, 2 and 4 give byte-identical CSVs, identical to the runs one at a time', async () => {
  const reference = await oneAtATime(RUNS);
  for (const f of SWEEP_FILES) assert.ok(reference[f]!.split('\n').length > RUNS, `${f} has rows`);
  for (const workers of [1, 2, 4]) {
    const { files, result } = await sweep(RUNS, workers);
    assert.deepEqual(result.outcomes.map((o) => o.status), Array(RUNS).fill('ok'));
    for (const f of SWEEP_FILES) assert.equal(files[f], reference[f], `${f} with ${workers} workers`);
  }
});

test('the runs of a sweep differ from each other (each has its own seed)', async () => {
  const { files } = await sweep(2, 2);
  const [, ...rows] = files['summary.csv']!.trimEnd().split('\n');
  assert.equal(rows.length, 2);
  assert.notEqual(rows[0]!.split(',').slice(3).join(), rows[1]!.split(',').slice(3).join());
});

test('aggregates computed while the parts are appended equal those read back from timeseries.csv', async () => {
  const scenario = shortScenario();
  // Two variants, one with a name that needs quoting and multi-byte UTF-8.
  const variants = [{ name: 'base' }, { name: 'rate="é, 40"' }];
  for (const workers of [1, 2]) {
    const dir = tempDir(`sweep-aggregate-w${workers}`);
    const result = await runSweep({ scenarios: [scenario, scenario], tasks: planTasks(variants, 3, scenario.seed), outDir: dir, workers, aggregate: true });
    assert.ok(result.timeseriesAggregate && result.timeseriesAggregate.length > 0);
    assert.deepEqual(result.timeseriesAggregate, await aggregateTimeseries(dir));
  }
  const { result } = await sweep(2, 1);
  assert.equal(result.timeseriesAggregate, undefined, 'not computed unless asked');
});
