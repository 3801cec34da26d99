/**
 * One task of the pool: one seeded run of one variant, written as CSV parts into its own folder.
 * The pool's worker threads and the in-process fallback both call `runTask`, so a row looks the
 * same whichever thread wrote it.
 *
 * The parts are the files `CsvOutputs` writes for a single run (timeseries, events, totals, each
 * with its header); the summary comes back in the result instead, already formatted, because the
 * summary header of a sweep depends on every run (an `error` column appears if one fails).
 *
 * engine/ does no I/O, except here: the worker is the process boundary where rows must go
 * somewhere, and a file keeps memory flat however long the simulated run is.
 */
import type { MessagePort } from 'node:worker_threads';
import { CsvOutputs } from '../../reports/csv-outputs.js';
import { formatNumber } from '../../reports/format.js';
import { ScenarioRun } from '../run.js';
import type { Scenario } from '../scenario/types.js';

export interface RunTask {
  scenario: Scenario;
  variant: string;
  run: number;
  seed: number;
  /** An existing, empty folder for this task's CSV parts. */
  dir: string;
  /** Receives `{ now, events }` at most every PROGRESS_INTERVAL_MS, and at the end (for the progress bar). */
  progress?: MessagePort;
  maxEvents?: number;
}

export interface TaskProgress {
  /** Simulated seconds reached. */
  now: number;
  /** Engine events processed so far. */
  events: number;
}

export type TaskResult =
  | { ok: true; events: number; simulatedSeconds: number; summary: [string, string][] }
  | { ok: false; error: string };

/**
 * A progress message costs a structured clone here and a wake-up of the main thread there; one per
 * sample interval is hundreds per run, while the bar redraws a few times a second. Wall time only
 * paces the messages: it never reaches the engine or the outputs.
 */
export const PROGRESS_INTERVAL_MS = 100;

export async function runTask(task: RunTask): Promise<TaskResult> {
  const outputs = new CsvOutputs(task.dir);
  let summary: [string, string][] = [];
  try {
    const observer = outputs.observer(task.variant, task.run, task.seed);
    observer.summary = (values) => {
      summary = [...values].map(([k, v]) => [k, formatNumber(v)]);
    };
    const run = new ScenarioRun(task.scenario, observer, { seed: task.seed, maxEvents: task.maxEvents });
    let lastPost = performance.now();
    while (!run.done) {
      run.advance();
      if (task.progress && performance.now() - lastPost >= PROGRESS_INTERVAL_MS) {
        lastPost = performance.now();
        task.progress.postMessage({ now: run.now, events: run.events } satisfies TaskProgress);
      }
      await outputs.drained();
    }
    const result = run.finish();
    task.progress?.postMessage({ now: result.simulatedSeconds, events: result.events } satisfies TaskProgress);
    return { ok: true, events: result.events, simulatedSeconds: result.simulatedSeconds, summary };
  } catch (error) {
    // A run that throws is a result, not a dead thread: the sweep reports it and goes on.
    return { ok: false, error: describeError(error) };
  } finally {
    await outputs.close();
    task.progress?.close();
  }
}

/** One line: the error's name and message (a stack would break the summary cell and stderr line). */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/\s*\n\s*/g, ' ');
}
