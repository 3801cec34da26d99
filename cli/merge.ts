/**
 * `kubesim merge DIR... --out DIR`: combines the folders of the shards of one sweep
 * (`--shard I/N`) into exactly the CSV files the whole sweep writes on one machine: shard I
 * holds a contiguous block of the sweep's runs (engine/parallel/plan.ts), so its rows are
 * appended in shard order, summary rows re-joined under one header, and the aggregates derived
 * from the result as `run --runs` and `compare` derive them.
 */
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { DEFAULTS } from '../engine/scenario/defaults.js';
import { CSV_FILES } from '../reports/csv-outputs.js';
import { readRunMetadata, writeRunMetadata, type RunMetadata, type SweepMetadata } from '../reports/run-metadata.js';
import { RunSetWriter } from '../reports/run-set-writer.js';
import { readSummaryCsv } from '../reports/summary-csv.js';
import { writeDerivedOutputs } from '../reports/sweep-outputs.js';
import { formatComparisonTable } from '../reports/sweep-table.js';
import { EXIT_INTERNAL, UsageError } from './errors.js';
import { packageVersion } from './paths.js';
import { writeReportFor } from './report.js';

interface MergeFlags {
  out: string;
  report?: boolean;
}

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('combine the output folders of the shards of a sweep (--shard I/N) into one')
    .argument('<dirs...>', 'shard output folders, in any order')
    .requiredOption('--out <dir>', 'output folder for the merged sweep')
    .option('--report', 'also write report.html')
    .addHelpText(
      'after',
      `
Examples:
  $ kubesim run scenarios/book-lab.yaml --runs 40 --shard 1/2 --out shards/1
  $ kubesim run scenarios/book-lab.yaml --runs 40 --shard 2/2 --out shards/2
  $ kubesim merge shards/* --out merged

The merged CSVs are byte-identical to those of the same sweep run on one machine.`,
    )
    .action(async (dirs: string[], flags: MergeFlags) => mergeCommand(dirs, flags));
}

interface ShardDir {
  dir: string;
  meta: RunMetadata;
  sweep: SweepMetadata & { shard: { index: number; count: number } };
}

export function problem(message: string): UsageError {
  return new UsageError(`merge: ${message}`);
}

export function readShards(dirs: readonly string[]): ShardDir[] {
  const shards = dirs.map((dir): ShardDir => {
    if (!existsSync(join(dir, 'run.json'))) throw problem(`${dir}: expected a kubesim output folder with run.json, found none`);
    const meta = readRunMetadata(dir);
    const sweep = meta.sweep;
    if (!sweep?.shard) throw problem(`${dir}: expected the output of a --shard I/N run, found ${sweep ? 'a whole sweep' : 'a single run'}`);
    if (sweep.interrupted) throw problem(`${dir}: shard ${sweep.shard.index}/${sweep.shard.count} was interrupted; run it again`);
    for (const t of Object.values(CSV_FILES)) {
      if (!existsSync(join(dir, t.file))) throw problem(`${dir}: expected ${t.file}, found none`);
    }
    return { dir, meta, sweep: sweep as ShardDir['sweep'] };
  });
  const [first] = shards;
  if (!first) throw problem('expected at least one shard folder');
  const count = first.sweep.shard.count;
  for (const s of shards) {
    if (s.sweep.fingerprint !== first.sweep.fingerprint || s.sweep.shard.count !== count) {
      throw problem(`${s.dir}: expected a shard of the same sweep as ${first.dir} (same scenario, variants, runs, seed, overrides, kubesim version), found another sweep`);
    }
  }
  shards.sort((a, b) => a.sweep.shard.index - b.sweep.shard.index);
  for (let i = 0; i < shards.length; i++) {
    if (shards[i]!.sweep.shard.index !== i + 1 || (i > 0 && shards[i - 1]!.sweep.shard.index === shards[i]!.sweep.shard.index)) {
      const seen = shards.map((s) => s.sweep.shard.index).join(', ');
      throw problem(`expected shards 1 to ${count} once each, found ${seen}`);
    }
  }
  if (shards.length !== count) throw problem(`expected all ${count} shards, found ${shards.length} (${shards.map((s) => s.sweep.shard.index).join(', ')})`);
  return shards;
}

/** Writes the merged CSVs and aggregates into `out`; returns the merged run.json. */
export async function mergeShards(shards: readonly ShardDir[], out: string): Promise<RunMetadata> {
  mkdirSync(out, { recursive: true });
  const outReal = realpathSync(out);
  for (const s of shards) {
    if (realpathSync(s.dir) === outReal) throw problem(`--out ${out}: expected a folder other than the shard folders`);
  }
  const writer = await RunSetWriter.create(out);
  try {
    for (const s of shards) {
      await writer.appendPart(s.dir);
      for (const row of await readSummaryCsv(join(s.dir, CSV_FILES.summary.file))) writer.addSummary(row);
    }
  } finally {
    await writer.close();
  }
  const first = shards[0]!;
  const meta: RunMetadata = {
    ...first.meta,
    kubesimVersion: packageVersion(),
    seeds: shards.flatMap((s) => s.meta.seeds),
    arguments: process.argv.slice(2),
    defaults: DEFAULTS,
    startedAt: shards.map((s) => s.meta.startedAt).sort()[0]!,
    wallSeconds: shards.reduce((sum, s) => sum + s.meta.wallSeconds, 0),
    events: shards.reduce((sum, s) => sum + s.meta.events, 0),
    node: process.version,
    sweep: {
      ...first.sweep,
      workers: undefined,
      shard: undefined,
      mergedFrom: shards.map((s) => s.dir),
      failures: shards.flatMap((s) => s.sweep.failures),
      interrupted: false,
    },
  };
  return meta;
}

async function mergeCommand(dirs: string[], flags: MergeFlags): Promise<void> {
  const shards = readShards(dirs);
  const meta = await mergeShards(shards, flags.out);
  const derived = await writeDerivedOutputs(flags.out);
  if (flags.report) await writeReportFor(flags.out);
  writeRunMetadata(flags.out, meta);
  const failures = meta.sweep!.failures;
  process.stdout.write(`kubesim merge: ${shards.length} shards, ${meta.seeds.length} runs of ${meta.scenario.name} -> ${flags.out}\n`);
  process.stdout.write(formatComparisonTable(derived.comparison));
  if (failures.length > 0) {
    for (const f of failures) process.stderr.write(`kubesim: run ${f.run} of variant ${f.variant} (seed ${f.seed}) failed: ${f.error}\n`);
    process.exitCode = EXIT_INTERNAL;
  }
}
