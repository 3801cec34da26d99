/**
 * A run that throws and a worker thread that dies cost only their own run: the others finish and
 * are written exactly as in a clean sweep, and the failures are in summary.csv's error column.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from '../../reports/csv-read.js';
import { CRASHING_RUN, THROWING_RUN } from './fixtures/fault-worker.js';
import { rowsOfRun, sweep } from './sweep-helpers.js';

const FAULT_WORKER = new URL('./fixtures/fault-worker.js', import.meta.url);
const RUNS = 5;

test('failed runs are reported; the other runs are written as in a clean sweep', async () => {
  const clean = await sweep(RUNS, 1);
  const failures: number[] = [];
  // One worker: runs 4 and 5 can only run if the thread that died under run 3 was replaced.
  const faulty = await sweep(RUNS, 1, { workerUrl: FAULT_WORKER, onFailure: (o) => failures.push(o.task.run) });

  assert.deepEqual(
    faulty.result.outcomes.map((o) => o.status),
    ['ok', 'failed', 'failed', 'ok', 'ok'],
  );
  assert.deepEqual(failures, [THROWING_RUN, CRASHING_RUN]);

  const summary = parseCsv(faulty.files['summary.csv']!);
  const header = summary[0]!;
  assert.equal(header.at(-1), 'error');
  assert.deepEqual(header.slice(0, -1), parseCsv(clean.files['summary.csv']!)[0], 'the clean columns, then error');
  const byRun = new Map(summary.slice(1).map((r) => [Number(r[1]), r]));
  assert.equal(byRun.size, RUNS, 'one summary row per run, failed ones included');
  assert.match(byRun.get(THROWING_RUN)!.at(-1)!, /^InvariantError: run stopped after 1000 events/);
  assert.match(byRun.get(CRASHING_RUN)!.at(-1)!, /worker thread died: .*exited with code: 7/);
  for (const run of [THROWING_RUN, CRASHING_RUN]) {
    assert.ok(byRun.get(run)!.slice(3, -1).every((cell) => cell === ''), `run ${run} has no figures`);
  }
  const cleanSummary = new Map(parseCsv(clean.files['summary.csv']!).slice(1).map((r) => [Number(r[1]), r]));
  for (const run of [1, 4, 5]) {
    assert.deepEqual(byRun.get(run)!.slice(0, -1), cleanSummary.get(run), `summary of run ${run}`);
    assert.equal(byRun.get(run)!.at(-1), '');
    for (const f of ['timeseries.csv', 'totals.csv']) {
      assert.deepEqual(rowsOfRun(faulty.files[f]!, run), rowsOfRun(clean.files[f]!, run), `${f} of run ${run}`);
    }
  }
  for (const run of [THROWING_RUN, CRASHING_RUN]) {
    assert.deepEqual(rowsOfRun(faulty.files['timeseries.csv']!, run), [], `no partial rows of failed run ${run}`);
  }
});

test('aborting stops the sweep and leaves complete runs in valid files', async () => {
  const clean = await sweep(6, 1);
  const abort = new AbortController();
  const stopped = await sweep(6, 1, {
    signal: abort.signal,
    onProgress: (p) => {
      if (p.done >= 2) abort.abort();
    },
  });
  assert.equal(stopped.result.interrupted, true);
  const written = stopped.result.outcomes.filter((o) => o.status === 'ok').map((o) => o.task.run);
  assert.ok(written.length >= 2 && written.length < 6, `runs written: ${written}`);
  assert.deepEqual(written, written.slice().sort((a, b) => a - b));
  for (const f of ['timeseries.csv', 'totals.csv', 'events.csv', 'summary.csv']) {
    const text = stopped.files[f]!;
    assert.ok(text.endsWith('\n'), `${f} ends with a complete row`);
    const records = parseCsv(text);
    assert.ok(records.every((r) => r.length === records[0]!.length), `${f}: every row has every column`);
  }
  for (const run of written) assert.deepEqual(rowsOfRun(stopped.files['timeseries.csv']!, run), rowsOfRun(clean.files['timeseries.csv']!, run));
  assert.equal(parseCsv(stopped.files['summary.csv']!).length - 1, written.length);
});
