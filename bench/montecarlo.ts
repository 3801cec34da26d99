/**
 * montecarlo/8runs: the worker pool's scaling. Eight replications of the default scenario
 * (scenarios/book-lab.yaml) through the same sweep as `kubesim run --runs 8`, once with one worker
 * thread and once with two; the result is the ratio of wall times, measured in the same process
 * (absolute times on shared machines are noise). Pool start-up, writing the parts and merging them
 * are inside the timed region, as a user pays them. Each configuration is timed `REPEATS` times
 * and the fastest kept: interference from other processes only ever slows a run down.
 * Target: >= 1.7 with 2 workers on a 2-core machine (the runs are independent; what is lost is
 * thread start-up and the main thread's copying).
 *
 * Why the target is hard with 8 short runs (measured, see the README): with one worker the
 * process already keeps ~1.3-1.4 cores busy (V8's background TurboFan compiles and GC helpers
 * run on the idle core), and every worker thread is a new V8 isolate that pays the JIT warm-up
 * again (in process CPU its first run costs ~2.5 steady runs and its second ~1.6, mostly in
 * background compiler threads). So the 2-worker sweep burns ~25% more CPU than the 1-worker
 * one, on cores that the 1-worker sweep already partly used. The result
 * therefore also reports the process CPU time of each configuration and `cpuBound`, the best
 * speedup two cores allow for that CPU: 2 x seconds1Worker / cpuSeconds2Workers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { planTasks } from '../engine/parallel/plan.js';
import { runSweep } from '../engine/parallel/sweep.js';
import { loadScenarioFile } from '../engine/scenario/loader.js';

export interface MonteCarloResult {
  name: 'montecarlo/8runs';
  speedup2Workers: number;
  seconds1Worker: number;
  seconds2Workers: number;
  /** Process CPU time (every thread) of the fastest repetition of each configuration. */
  cpuSeconds1Worker: number;
  cpuSeconds2Workers: number;
  /** 2 x seconds1Worker / cpuSeconds2Workers: two cores cannot do the 2-worker sweep's CPU work faster. */
  cpuBound: number;
  target: number;
  met: boolean;
}

const RUNS = 8;
const REPEATS = 3;
export const MONTECARLO_TARGET = 1.7;
const SCENARIO = fileURLToPath(new URL('../../scenarios/book-lab.yaml', import.meta.url));

async function timeSweep(workers: number, duration: string | undefined): Promise<{ seconds: number; cpu: number }> {
  const { scenario } = loadScenarioFile(SCENARIO, { duration });
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-bench-mc-'));
  try {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    const result = await runSweep({ scenarios: [scenario], tasks: planTasks([{ name: 'base' }], RUNS, scenario.seed), outDir: dir, workers });
    const seconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    if (result.outcomes.some((o) => o.status !== 'ok')) throw new Error('montecarlo bench: a run failed');
    return { seconds, cpu: (cpu.user + cpu.system) / 1e6 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `quick` shortens each run to 2 simulated minutes (a smoke test: start-up then weighs more). */
export async function runMonteCarloBenchmark(quick: boolean): Promise<MonteCarloResult> {
  const duration = quick ? '2m' : undefined;
  let one = { seconds: Infinity, cpu: 0 };
  let two = { seconds: Infinity, cpu: 0 };
  // Alternate the configurations so slow phases of the machine hit both alike.
  for (let i = 0; i < REPEATS; i++) {
    const a = await timeSweep(1, duration);
    if (a.seconds < one.seconds) one = a;
    const b = await timeSweep(2, duration);
    if (b.seconds < two.seconds) two = b;
  }
  const speedup = one.seconds / two.seconds;
  return {
    name: 'montecarlo/8runs',
    speedup2Workers: Number(speedup.toFixed(3)),
    seconds1Worker: Number(one.seconds.toFixed(3)),
    seconds2Workers: Number(two.seconds.toFixed(3)),
    cpuSeconds1Worker: Number(one.cpu.toFixed(3)),
    cpuSeconds2Workers: Number(two.cpu.toFixed(3)),
    cpuBound: Number(((2 * one.seconds) / two.cpu).toFixed(3)),
    target: MONTECARLO_TARGET,
    met: speedup >= MONTECARLO_TARGET,
  };
}
