/**
 * A child process of the montecarlo/8runs reference (see montecarlo.ts): runs a block of the
 * 8 replications one after another in this process's main thread, with no pool and no worker
 * thread, each through the same `runTask` a pool worker calls (so the same CSV parts are written).
 *
 * Usage (compiled): node dist/bench/montecarlo-child.js FROM COUNT OUT_DIR [DURATION]
 * runs tasks FROM .. FROM+COUNT-1 (0-based) of the default scenario's 8-run plan.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { planTasks } from '../engine/parallel/plan.js';
import { runTask } from '../engine/parallel/task.js';
import { loadScenarioFile } from '../engine/scenario/loader.js';
import { MONTECARLO_RUNS, MONTECARLO_SCENARIO } from './montecarlo-plan.js';

const [from, count, outDir, duration] = process.argv.slice(2);
const { scenario } = loadScenarioFile(MONTECARLO_SCENARIO, { duration: duration || undefined });
const tasks = planTasks([{ name: 'base' }], MONTECARLO_RUNS, scenario.seed).slice(Number(from), Number(from) + Number(count));
for (const task of tasks) {
  const dir = join(outDir!, String(task.index));
  mkdirSync(dir, { recursive: true });
  const result = await runTask({ scenario, variant: task.variant, run: task.run, seed: task.seed, dir });
  if (!result.ok) throw new Error(`montecarlo child: run ${task.run} failed: ${result.error}`);
}
