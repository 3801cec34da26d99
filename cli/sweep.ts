/**
 * A sweep from the command line (`run --runs N`, `compare`): plans the tasks, runs them on the
 * worker pool with a progress bar, turns SIGINT into an orderly stop, writes the derived files
 * and run.json, prints the table, and sets the exit code (0; 1 if a run failed; 130 if
 * interrupted).
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { planTasks, shardTasks, type Shard, type Variant } from '../engine/parallel/plan.js';
import { runSweep } from '../engine/parallel/sweep.js';
import { DEFAULTS } from '../engine/scenario/defaults.js';
import type { LoadedScenario } from '../engine/scenario/loader.js';
import { CSV_FILES } from '../reports/csv-outputs.js';
import { writeRunMetadata, type SweepMetadata } from '../reports/run-metadata.js';
import { writeDerivedOutputs } from '../reports/sweep-outputs.js';
import { formatComparisonTable } from '../reports/sweep-table.js';
import { EXIT_INTERNAL, EXIT_INTERRUPTED } from './errors.js';
import { packageVersion } from './paths.js';
import { createProgress } from './progress.js';
import { defaultWorkers } from './sweep-options.js';

export interface SweepInput {
  command: 'run' | 'compare';
  scenarioPath: string;
  /** The scenario as loaded without variant assignments (its hash and files go to run.json). */
  base: LoadedScenario;
  variants: Variant[];
  runs: number;
  baseSeed: number;
  workers?: number;
  shard?: Shard;
  outDir: string;
  quiet: boolean;
  /** --set overrides, and the other flags that shape the runs (--duration), for the fingerprint. */
  overrides: string[];
  duration?: string;
  /** Writes report.html after the CSVs. */
  report?: (outDir: string) => Promise<void>;
}

export async function executeSweep(input: SweepInput): Promise<void> {
  const startedAt = new Date();
  const wallStart = performance.now();
  const { variants, outDir } = input;
  const all = planTasks(variants, input.runs, input.baseSeed);
  const tasks = input.shard ? shardTasks(all, input.shard) : all;
  const workers = input.workers ?? defaultWorkers(tasks.length);
  mkdirSync(outDir, { recursive: true });

  const label = input.shard ? `${input.base.scenario.name} shard ${input.shard.index}/${input.shard.count}` : input.base.scenario.name;
  const simulatedTotal = tasks.reduce((s, t) => s + variants[t.variantIndex]!.scenario.duration, 0);
  const progress = createProgress(label, Math.max(1, Math.round(simulatedTotal)), input.quiet, 's simulated');
  const abort = new AbortController();
  const onSigint = (): void => {
    if (!abort.signal.aborted) process.stderr.write('\nkubesim: interrupted: stopping the runs; finished runs are being written\n');
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  let result;
  try {
    result = await runSweep({
      scenarios: variants.map((v) => v.scenario),
      tasks,
      outDir,
      workers,
      signal: abort.signal,
      // A shard writes no aggregates; otherwise they are computed while the runs go.
      aggregate: !input.shard,
      onProgress: (p) => {
        const wall = (performance.now() - wallStart) / 1000;
        progress.update(Math.round(p.simulated), { detail: `${p.done}/${p.total} runs, ${formatRate(p.events / Math.max(wall, 1e-9))} events/s` });
      },
      onFailure: (o) => {
        if (o.status !== 'failed') return;
        progress.stop();
        process.stderr.write(`kubesim: run ${o.task.run} of variant ${o.task.variant} (seed ${o.task.seed}) failed: ${o.error}\n`);
      },
    });
  } finally {
    progress.stop();
    process.off('SIGINT', onSigint);
  }

  const failures = result.outcomes.flatMap((o) =>
    o.status === 'failed' ? [{ variant: o.task.variant, run: o.task.run, seed: o.task.seed, error: o.error }] : [],
  );
  const written = result.outcomes.filter((o) => o.status !== 'aborted').length;
  // A shard holds part of the runs: its aggregates would be misleading; `merge` derives them.
  const derived = input.shard ? undefined : await writeDerivedOutputs(outDir, result.timeseriesAggregate);

  const sweep: SweepMetadata = {
    runs: input.runs,
    baseSeed: input.baseSeed,
    variants: variants.map((v) => ({ name: v.name, assignments: v.assignments })),
    tasks: all.length,
    fingerprint: sweepFingerprint(input),
    workers,
    shard: input.shard,
    failures,
    interrupted: result.interrupted,
  };
  writeRunMetadata(outDir, {
    kubesimVersion: packageVersion(),
    scenario: { name: input.base.scenario.name, file: input.scenarioPath, sha256: input.base.sha256, files: input.base.files },
    seeds: tasks.map((t) => t.seed),
    arguments: process.argv.slice(2),
    overrides: input.overrides,
    defaults: DEFAULTS,
    startedAt: startedAt.toISOString(),
    wallSeconds: (performance.now() - wallStart) / 1000,
    events: result.outcomes.reduce((s, o) => s + (o.status === 'ok' ? o.events : 0), 0),
    node: process.version,
    sweep,
  });
  // After run.json: the report shows how the sweep was made.
  if (input.report && !input.shard) await input.report(outDir);

  const wall = (performance.now() - wallStart) / 1000;
  const what = input.command === 'compare' ? `${variants.length} variants x ${input.runs} runs` : `${input.runs} runs`;
  const shardNote = input.shard ? `, shard ${input.shard.index}/${input.shard.count} (${tasks.length} of ${all.length} runs)` : '';
  process.stdout.write(`kubesim ${input.command} ${input.base.scenario.name}: ${what}${shardNote}, base seed ${input.baseSeed}, ${workers} worker(s), ${wall.toFixed(2)} s\n`);
  if (derived) process.stdout.write(formatComparisonTable(derived.comparison));
  const files = [...Object.values(CSV_FILES).map((f) => f.file), ...(derived?.files ?? []), ...(input.report && !input.shard ? ['report.html'] : []), 'run.json'];
  process.stdout.write(`outputs: ${outDir.replace(/\/+$/, '')}/ (${files.join(', ')})\n`);

  if (result.interrupted) {
    process.stderr.write(`kubesim: interrupted: ${written} of ${tasks.length} runs written, complete, in ${outDir}\n`);
    process.exitCode = EXIT_INTERRUPTED;
  } else if (failures.length > 0) {
    process.stderr.write(`kubesim: ${failures.length} of ${tasks.length} runs failed (see the error column of summary.csv); the others are written\n`);
    process.exitCode = EXIT_INTERNAL;
  }
}

/** What must be equal for shards to be parts of one sweep. */
export function sweepFingerprint(input: Pick<SweepInput, 'base' | 'variants' | 'runs' | 'baseSeed' | 'overrides' | 'duration'>): string {
  const identity = {
    scenario: input.base.sha256,
    files: input.base.files.length,
    variants: input.variants.map((v) => [v.name, v.assignments]),
    runs: input.runs,
    baseSeed: input.baseSeed,
    overrides: input.overrides,
    duration: input.duration ?? null,
    version: packageVersion(),
  };
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex');
}

export function formatRate(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(1)}M`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(0)}k`;
  return perSecond.toFixed(0);
}
