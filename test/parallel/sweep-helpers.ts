/** Shared set-up of the sweep tests: a short scenario, a sweep into a fresh folder, the files it wrote. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planTasks } from '../../engine/parallel/plan.js';
import { runSweep, type SweepOptions, type SweepResult } from '../../engine/parallel/sweep.js';
import type { Scenario } from '../../engine/scenario/types.js';
import { testScenario } from '../helpers/scenario.js';

export const SWEEP_FILES = ['timeseries.csv', 'events.csv', 'totals.csv', 'summary.csv'];

export function shortScenario(): Scenario {
  return testScenario({ duration: '40s', rate: 40, timeline: [{ at: '25s', run: 'kubectl scale deployment web --replicas=4' }] });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `kubesim-${prefix}-`));
}

export async function sweep(
  runs: number,
  workers: number,
  extra: Partial<SweepOptions> = {},
): Promise<{ dir: string; result: SweepResult; files: Record<string, string> }> {
  const scenario = shortScenario();
  const dir = tempDir(`sweep-w${workers}`);
  const result = await runSweep({ scenarios: [scenario], tasks: planTasks([{ name: 'base' }], runs, scenario.seed), outDir: dir, workers, ...extra });
  return { dir, result, files: readFiles(dir, SWEEP_FILES) };
}

export function readFiles(dir: string, names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

/** The data rows of a CSV text whose `run` column (index `runColumn`) is `run`. */
export function rowsOfRun(text: string, run: number, runColumn = 1): string[] {
  return text
    .trimEnd()
    .split('\n')
    .slice(1)
    .filter((line) => line.split(',')[runColumn] === String(run));
}
