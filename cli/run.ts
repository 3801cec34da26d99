/**
 * `kubesim run [SCENARIO]`: one seeded run, CSV outputs written as it goes, a summary table.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { ScenarioRun } from '../engine/run.js';
import { loadScenarioFile } from '../engine/scenario/loader.js';
import { withSchedulerRegistry } from '../engine/scheduler/config-schema.js';
import { registryWithPluginFiles } from '../engine/scheduler/user-plugins.js';
import { formatDuration, parseDuration } from '../engine/core/duration.js';
import { DEFAULTS } from '../engine/scenario/defaults.js';
import { CsvOutputs, SNAPSHOTS_FILE } from '../reports/csv-outputs.js';
import { writeRunMetadata } from '../reports/run-metadata.js';
import { formatSummary } from '../reports/summary-table.js';
import { EXIT_INTERRUPTED, usage } from './errors.js';
import { checkDuration, collect, parseSeed } from './options.js';
import { DEFAULT_SCENARIO, packageVersion } from './paths.js';
import { createProgress } from './progress.js';
import { writeReportFor } from './report.js';
import { executeSweep } from './sweep.js';
import { parseRuns, parseShard, parseWorkers } from './sweep-options.js';
import type { Shard } from '../engine/parallel/plan.js';

interface RunFlags {
  seed?: number;
  duration?: string;
  out?: string;
  set: string[];
  quiet?: boolean;
  runs?: number;
  workers?: number;
  shard?: Shard;
  report?: boolean;
  snapshot: string[];
  plugin: string[];
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run a scenario once and write timeseries, events, totals and summary CSVs')
    .argument('[scenario]', 'scenario YAML file', DEFAULT_SCENARIO)
    .option('--seed <n>', `run seed (default: the scenario's spec.seed, else ${DEFAULTS.scenario.seed})`, (v) => parseSeed(v))
    .option('--duration <d>', "simulated time, e.g. 90s, 10m, 1h30m (default: the scenario's spec.duration)", (v) =>
      checkDuration(v, '--duration'),
    )
    .option('--out <dir>', 'output folder (default: kubesim-out/<scenario name>/)')
    .option('--set <path=value>', 'override a scenario field before validation, e.g. spec.load[0].arrivals.rate=500 (repeatable)', collect, [])
    .option('--runs <n>', 'Monte-Carlo replications; run i uses seed (S + (i-1) * 0x9E3779B9) mod 2^32, run 1 keeps S', (v) => parseRuns(v), 1)
    .option('--workers <n>', 'worker threads for --runs (default: one per core)', (v) => parseWorkers(v))
    .option('--shard <i/n>', 'run only shard i of n of the replications (combine shard folders with kubesim merge)', (v) => parseShard(v))
    .option('--report', 'also write report.html (charts, comparison table, event log)')
    .option('--snapshot <at>', 'at this simulated time write kubectl get tables (nodes, pods, workloads, services, volumes) to snapshots.txt (repeatable; single runs only)', (v, prev: string[]) => collect(checkDuration(v, '--snapshot'), prev), [])
    .option('--plugin <file>', "a JavaScript module exporting scheduler plugin factories by name, which the scenario's spec.scheduler may enable (repeatable; single runs)", collect, [])
    .option('-q, --quiet', 'no progress bar')
    .addHelpText(
      'after',
      `
Examples:
  $ kubesim run                                   # the built-in book-lab scenario
  $ kubesim run scenarios/book-lab.yaml --seed 7 --duration 2m --out /tmp/lab
  $ kubesim run scenarios/book-lab.yaml --set spec.load[0].arrivals.rate=400
  $ kubesim run scenarios/book-lab.yaml --runs 20 --workers 4 --out /tmp/lab20
  $ kubesim run scenarios/book-lab.yaml --runs 100 --shard 3/10 --out /shared/shard-3

Outputs (in --out): timeseries.csv, events.csv, summary.csv, totals.csv, run.json; with --runs N
(N > 1) also aggregate.csv and timeseries-aggregate.csv (not in shard folders: kubesim merge
writes them); snapshots.txt when the timeline has kubectl get or --snapshot is given (single runs).`,
    )
    .action(async (scenarioPath: string, flags: RunFlags) => runCommand(scenarioPath, flags));
}

async function runCommand(scenarioPath: string, flags: RunFlags): Promise<void> {
  const startedAt = new Date();
  const wallStart = performance.now();
  if (flags.plugin.length > 0 && ((flags.runs ?? 1) > 1 || flags.shard)) {
    throw usage.badValue('--plugin', flags.plugin[0]!, 'a single run (worker threads do not load plugin modules)');
  }
  // User plugins are registered before the scenario loads, so its KubeSchedulerConfiguration may name them.
  const registry = flags.plugin.length > 0 ? await registryWithPluginFiles(flags.plugin) : undefined;
  const loaded = withSchedulerRegistry(registry, () => loadScenarioFile(scenarioPath, { overrides: flags.set, seed: flags.seed, duration: flags.duration }));
  const scenario = loaded.scenario;
  const outDir = flags.out ?? join('kubesim-out', scenario.name);
  if (((flags.runs ?? 1) > 1 || flags.shard) && flags.snapshot.length > 0) {
    throw usage.badValue('--snapshot', flags.snapshot[0]!, 'a single run (snapshots are not written by --runs or --shard sweeps)');
  }
  if ((flags.runs ?? 1) > 1 || flags.shard) {
    // Replications go through the worker pool; a single run keeps the streaming path below.
    await executeSweep({
      command: 'run',
      scenarioPath,
      base: loaded,
      variants: [{ name: 'base', assignments: [], scenario }],
      runs: flags.runs ?? 1,
      baseSeed: scenario.seed,
      workers: flags.workers,
      shard: flags.shard,
      outDir,
      quiet: flags.quiet ?? false,
      overrides: flags.set,
      duration: flags.duration,
      report: flags.report ? writeReportFor : undefined,
    });
    return;
  }
  mkdirSync(outDir, { recursive: true });

  const outputs = new CsvOutputs(outDir);
  const snapshots = flags.snapshot.map((text) => {
    const t = parseDuration(text);
    if (t > scenario.duration) throw usage.badValue('--snapshot', text, `a time within the run (at most ${formatDuration(scenario.duration)})`);
    return t;
  });
  const run = new ScenarioRun(scenario, outputs.observer('base', 1, scenario.seed), { snapshots, registry });
  const progress = createProgress(scenario.name, Math.round(scenario.duration), flags.quiet ?? false, 's');
  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
  };
  process.on('SIGINT', onSigint);
  try {
    while (!run.done && !interrupted) {
      run.advance();
      const wall = (performance.now() - wallStart) / 1000;
      progress.update(Math.round(run.now), { detail: `${formatRate(run.events / Math.max(wall, 1e-9))} events/s` });
      await outputs.drained();
    }
    progress.stop();
    if (interrupted) {
      await outputs.close();
      process.stderr.write(`kubesim: interrupted at t=${formatDuration(run.now)}; rows written so far are complete in ${outDir}\n`);
      process.exitCode = EXIT_INTERRUPTED;
      return;
    }
    const result = run.finish();
    await outputs.close();
    const wallSeconds = (performance.now() - wallStart) / 1000;
    writeRunMetadata(outDir, {
      kubesimVersion: packageVersion(),
      scenario: { name: scenario.name, file: scenarioPath, sha256: loaded.sha256, files: loaded.files },
      seeds: [result.seed],
      arguments: process.argv.slice(2),
      overrides: flags.set,
      defaults: DEFAULTS,
      startedAt: startedAt.toISOString(),
      wallSeconds,
      events: result.events,
      node: process.version,
    });
    if (flags.report) await writeReportFor(outDir);
    process.stdout.write(formatSummary(scenario.name, result, wallSeconds));
    process.stdout.write(`outputs: ${outDir.replace(/\/+$/, '')}/ (timeseries.csv, events.csv, summary.csv, totals.csv, run.json${flags.report ? ', report.html' : ''}${existsSync(join(outDir, SNAPSHOTS_FILE)) ? `, ${SNAPSHOTS_FILE}` : ''})\n`);
  } finally {
    process.off('SIGINT', onSigint);
    progress.stop();
  }
}

function formatRate(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(1)}M`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(0)}k`;
  return perSecond.toFixed(0);
}
