/**
 * Runs a list of tasks (seeded runs of variants) on a piscina pool of worker threads and writes
 * their outputs in task order, whatever order they finish in: the CSVs are byte-identical for
 * any number of workers, and identical to running the tasks one at a time.
 *
 * Faults: a run that throws becomes a summary row with an `error` and the others go on; a worker
 * thread that dies fails only the run it held, and piscina starts a replacement thread. Abort
 * (SIGINT): queued runs are dropped, running ones are stopped, the runs already finished are
 * written in order, and every file is closed complete.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { RunSetWriter } from '../../reports/run-set-writer.js';
import type { Scenario } from '../scenario/types.js';
import type { SweepTask } from './plan.js';
import type { RunTask, TaskProgress, TaskResult } from './task.js';

export interface SweepOptions {
  /** The scenario of each variant, by `SweepTask.variantIndex`. */
  scenarios: readonly Scenario[];
  /** In output order. */
  tasks: readonly SweepTask[];
  outDir: string;
  /** Worker threads (>= 1). */
  workers: number;
  /** Aborting stops the sweep (see the header comment). */
  signal?: AbortSignal;
  onProgress?: (progress: SweepProgress) => void;
  /** Called once per failed run, in task order, as it is written. */
  onFailure?: (outcome: RunOutcome) => void;
  /** The worker module; tests substitute one that injects faults. */
  workerUrl?: URL;
  maxEvents?: number;
  /**
   * Also compute timeseries-aggregate.csv's records while the parts are appended (on the main
   * thread, overlapping with the runs still going), returned as `timeseriesAggregate`.
   */
  aggregate?: boolean;
}

export interface SweepProgress {
  /** Runs finished (successfully or not). */
  done: number;
  total: number;
  /** Engine events processed so far, over all runs, finished or running. */
  events: number;
  /** Simulated seconds done so far, over all runs, and the sweep's total. */
  simulated: number;
  simulatedTotal: number;
}

export type RunOutcome =
  | { task: SweepTask; status: 'ok'; events: number; summary: [string, string][] }
  | { task: SweepTask; status: 'failed'; error: string }
  | { task: SweepTask; status: 'aborted' };

export interface SweepResult {
  /** One per task, in task order. */
  outcomes: RunOutcome[];
  interrupted: boolean;
  /** With `aggregate`: the records of timeseries-aggregate.csv for the runs written. */
  timeseriesAggregate?: string[][];
}

export const DEFAULT_WORKER_URL = new URL('./worker.js', import.meta.url);

export async function runSweep(options: SweepOptions): Promise<SweepResult> {
  const { tasks, scenarios, outDir, signal } = options;
  mkdirSync(outDir, { recursive: true });
  const partsRoot = mkdtempSync(join(outDir, '.kubesim-parts-'));
  const writer = await RunSetWriter.create(outDir, { aggregate: options.aggregate });
  const pool = new Piscina<RunTask, TaskResult>({
    filename: (options.workerUrl ?? DEFAULT_WORKER_URL).href,
    minThreads: options.workers,
    maxThreads: options.workers,
    // Tasks are long and CPU-bound; idle threads are kept for the next one.
    idleTimeout: 60_000,
    // Tasks are async (they await file streams); blocking idle workers on Atomics buys nothing here.
    atomics: 'disabled',
  });

  const simulatedTotal = tasks.reduce((sum, t) => sum + scenarios[t.variantIndex]!.duration, 0);
  const progress = { done: 0, total: tasks.length, events: 0, simulated: 0, simulatedTotal };
  const latest = tasks.map(() => ({ now: 0, events: 0 }));
  const report = (): void => options.onProgress?.({ ...progress });
  const onTaskProgress = (i: number, p: TaskProgress): void => {
    progress.events += p.events - latest[i]!.events;
    progress.simulated += p.now - latest[i]!.now;
    latest[i] = p;
    report();
  };

  const pending = tasks.map((task, i) => {
    const dir = join(partsRoot, String(task.index));
    mkdirSync(dir);
    const channel = new MessageChannel();
    channel.port1.on('message', (p: TaskProgress) => onTaskProgress(i, p));
    const runTask: RunTask = {
      scenario: scenarios[task.variantIndex]!,
      variant: task.variant,
      run: task.run,
      seed: task.seed,
      dir,
      progress: channel.port2,
      maxEvents: options.maxEvents,
    };
    return pool
      .run(runTask, { transferList: [channel.port2], signal })
      .then(
        (result): RunOutcome =>
          result.ok ? { task, status: 'ok', events: result.events, summary: result.summary } : { task, status: 'failed', error: result.error },
        (error: unknown): RunOutcome => {
          if (signal?.aborted) return { task, status: 'aborted' };
          // The thread died (process.exit, out of memory, a native crash): only this run is lost.
          return { task, status: 'failed', error: `worker thread died: ${error instanceof Error ? error.message : String(error)}` };
        },
      )
      .then((outcome) => {
        channel.port1.close();
        if (outcome.status !== 'aborted') {
          progress.done++;
          report();
        }
        return outcome;
      });
  });

  const outcomes: RunOutcome[] = [];
  try {
    for (let i = 0; i < tasks.length; i++) {
      const outcome = await pending[i]!;
      outcomes.push(outcome);
      const { task } = outcome;
      const dir = join(partsRoot, String(task.index));
      if (outcome.status === 'ok') {
        await writer.appendPart(dir);
        writer.addSummary({ variant: task.variant, run: String(task.run), seed: String(task.seed), values: outcome.summary });
      } else if (outcome.status === 'failed') {
        writer.addSummary({ variant: task.variant, run: String(task.run), seed: String(task.seed), values: [], error: outcome.error });
        options.onFailure?.(outcome);
      }
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    await writer.close();
    await pool.destroy();
    rmSync(partsRoot, { recursive: true, force: true });
  }
  const timeseriesAggregate = writer.timeseriesAggregate();
  return { outcomes, interrupted: signal?.aborted ?? false, ...(timeseriesAggregate && { timeseriesAggregate }) };
}
