/**
 * montecarlo/8runs: the worker pool's scaling. Eight replications of the default scenario
 * (scenarios/book-lab.yaml) through the same sweep as `kubesim run --runs 8`, once with one worker
 * thread and once with two; the result is the ratio of wall times, measured in the same process
 * (absolute times on shared machines are noise). Pool start-up, writing the parts and merging them
 * are inside the timed region, as a user pays them. Each configuration is timed `REPEATS` times
 * and the fastest kept: interference from other processes only ever slows a run down.
 * Target: >= 1.7 with 2 workers on a 2-core machine.
 *
 * Why the target is out of reach with 8 short runs (about 0.2 s each): with one worker the
 * process already keeps ~1.15-1.4 cores busy, because V8 compiles hot functions with TurboFan on
 * background threads (`node --trace-opt` sums ~0.5 s of compile time per isolate for one 10-minute
 * run, ~1 s for eight) and those run on the idle core; and every worker thread is a new V8
 * isolate that loads the modules and pays that compile warm-up again. So the 2-worker sweep burns
 * ~25% more CPU than the 1-worker one, on cores that the 1-worker sweep already partly used.
 * Two references make this visible in the result:
 *  - `cpuBound`: 2 x seconds1Worker / cpuSeconds2Workers, the best speedup two cores allow for the
 *    CPU the 2-worker sweep actually burned;
 *  - `processesSpeedup`: the same 8 runs with no pool at all, one OS process running all 8 in
 *    its main thread against two processes running 4 each at the same time (bench/montecarlo-child.ts).
 *    Independent processes share nothing, so no thread-pool design can do better than this on
 *    the same machine; it also lands near 1.3 here, well under 1.7.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { planTasks } from '../engine/parallel/plan.js';
import { runSweep } from '../engine/parallel/sweep.js';
import { loadScenarioFile } from '../engine/scenario/loader.js';
import { MONTECARLO_RUNS, MONTECARLO_SCENARIO } from './montecarlo-plan.js';

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
  /** Wall time of 8 runs in one process over 8 runs split over two concurrent processes (no pool, no threads). */
  processesSpeedup: number;
  target: number;
  met: boolean;
}

const REPEATS = 3;
export const MONTECARLO_TARGET = 1.7;
const CHILD = new URL('./montecarlo-child.js', import.meta.url);

async function timeSweep(workers: number, duration: string | undefined): Promise<{ seconds: number; cpu: number }> {
  const { scenario } = loadScenarioFile(MONTECARLO_SCENARIO, { duration });
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-bench-mc-'));
  try {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    const result = await runSweep({ scenarios: [scenario], tasks: planTasks([{ name: 'base' }], MONTECARLO_RUNS, scenario.seed), outDir: dir, workers });
    const seconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    if (result.outcomes.some((o) => o.status !== 'ok')) throw new Error('montecarlo bench: a run failed');
    return { seconds, cpu: (cpu.user + cpu.system) / 1e6 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs tasks [from, from + count) in a child process; resolves when it exits. */
function runChild(from: number, count: number, dir: string, duration: string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(CHILD), String(from), String(count), dir, duration ?? ''], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`montecarlo bench: child process exited with ${code}`))));
  });
}

/** Wall seconds for the 8 runs split into `processes` equal blocks, each in its own process, all at once. */
async function timeProcesses(processes: number, duration: string | undefined): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-bench-mcp-'));
  try {
    const per = MONTECARLO_RUNS / processes;
    const start = performance.now();
    await Promise.all(Array.from({ length: processes }, (_, i) => runChild(i * per, per, dir, duration)));
    return (performance.now() - start) / 1000;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `quick` shortens each run to 2 simulated minutes (a smoke test: start-up then weighs more). */
export async function runMonteCarloBenchmark(quick: boolean): Promise<MonteCarloResult> {
  const duration = quick ? '2m' : undefined;
  let one = { seconds: Infinity, cpu: 0 };
  let two = { seconds: Infinity, cpu: 0 };
  let oneProcess = Infinity;
  let twoProcesses = Infinity;
  // Alternate the configurations so slow phases of the machine hit both alike.
  for (let i = 0; i < REPEATS; i++) {
    const a = await timeSweep(1, duration);
    if (a.seconds < one.seconds) one = a;
    const b = await timeSweep(2, duration);
    if (b.seconds < two.seconds) two = b;
    oneProcess = Math.min(oneProcess, await timeProcesses(1, duration));
    twoProcesses = Math.min(twoProcesses, await timeProcesses(2, duration));
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
    processesSpeedup: Number((oneProcess / twoProcesses).toFixed(3)),
    target: MONTECARLO_TARGET,
    met: speedup >= MONTECARLO_TARGET,
  };
}
