/**
 * `kubesim compare SCENARIO --vary PATH=V1,V2 [--vary ...] --runs N`: one variant per
 * combination of the --vary values, every variant on the same N seeds (common random numbers),
 * compare.csv with each variant's mean and 95% interval and the paired difference to the first
 * variant, and the same as a table.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Shard, Variant } from '../engine/parallel/plan.js';
import { ScenarioError, isUserError } from '../engine/scenario/errors.js';
import { loadScenarioFile, type LoadedScenario } from '../engine/scenario/loader.js';
import { usage } from './errors.js';
import { checkDuration, collect, parseSeed } from './options.js';
import { writeReportFor } from './report.js';
import { executeSweep } from './sweep.js';
import { combinations, parseRuns, parseShard, parseVary, parseWorkers, type Vary } from './sweep-options.js';

interface CompareFlags {
  vary: Vary[];
  runs: number;
  workers?: number;
  shard?: Shard;
  seed?: number;
  duration?: string;
  out?: string;
  set: string[];
  quiet?: boolean;
  report?: boolean;
}

export const DEFAULT_COMPARE_RUNS = 10;

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description('run variants of a scenario on the same seeds and compare them with confidence intervals')
    .argument('<scenario>', 'scenario YAML file')
    .option('--vary <path=v1,v2>', 'a scenario field (as in --set) and its values; one variant per combination of all --vary (repeatable)', parseVary, [])
    .option('--runs <n>', `replications per variant (default ${DEFAULT_COMPARE_RUNS})`, (v) => parseRuns(v), DEFAULT_COMPARE_RUNS)
    .option('--workers <n>', 'worker threads (default: one per core)', (v) => parseWorkers(v))
    .option('--seed <n>', "base seed of the runs (default: the scenario's spec.seed)", (v) => parseSeed(v))
    .option('--duration <d>', "simulated time of every run (default: the scenario's spec.duration)", (v) => checkDuration(v, '--duration'))
    .option('--set <path=value>', 'override a scenario field in every variant (repeatable)', collect, [])
    .option('--shard <i/n>', 'run only shard i of n of the runs (combine with kubesim merge)', (v) => parseShard(v))
    .option('--out <dir>', 'output folder (default: kubesim-out/<scenario name>-compare/)')
    .option('--report', 'also write report.html')
    .option('-q, --quiet', 'no progress bar')
    .addHelpText(
      'after',
      `
Examples:
  $ kubesim compare scenarios/book-lab.yaml --vary spec.load[0].arrivals.rate=200,400 --runs 20
  $ kubesim compare scenarios/book-lab.yaml --vary 'spec.manifests[0].spec.replicas=2,3,5' \\
      --vary spec.load[0].arrivals.rate=200,600 --runs 10 --report --out /tmp/cmp

Variants are named by their assignments (spec.load[0].arrivals.rate=400); the first is the
baseline of the paired differences. Outputs (in --out): timeseries.csv, events.csv, totals.csv,
summary.csv (all with the variant column), compare.csv, aggregate.csv,
timeseries-aggregate.csv, run.json (and report.html with --report).`,
    )
    .action(async (scenarioPath: string, flags: CompareFlags) => compareCommand(scenarioPath, flags));
}

async function compareCommand(scenarioPath: string, flags: CompareFlags): Promise<void> {
  if (flags.vary.length === 0) throw usage.badValue('--vary', '', 'at least one --vary PATH=V1,V2');
  const options = { seed: flags.seed, duration: flags.duration };
  const base = loadScenarioFile(scenarioPath, { ...options, overrides: flags.set });
  const variants: Variant[] = combinations(flags.vary).map((assignments) => ({
    name: assignments.join(' '),
    assignments,
    scenario: loadVariant(scenarioPath, assignments, { ...options, overrides: flags.set }).scenario,
  }));
  await executeSweep({
    command: 'compare',
    scenarioPath,
    base,
    variants,
    runs: flags.runs,
    baseSeed: base.scenario.seed,
    workers: flags.workers,
    shard: flags.shard,
    outDir: flags.out ?? join('kubesim-out', `${base.scenario.name}-compare`),
    quiet: flags.quiet ?? false,
    overrides: flags.set,
    duration: flags.duration,
    report: flags.report ? writeReportFor : undefined,
  });
}

/** Loads one variant; an assignment the loader rejects is reported as the --vary it came from. */
function loadVariant(path: string, assignments: string[], options: { seed?: number; duration?: string; overrides: string[] }): LoadedScenario {
  try {
    return loadScenarioFile(path, { ...options, overrides: [...options.overrides, ...assignments] });
  } catch (error) {
    if (isUserError(error) && error.file === undefined) {
      const a = assignments.find((x) => error.path === `--set ${x}`);
      if (a) throw new ScenarioError(undefined, `--vary ${a}`, error.expected, error.found);
    }
    throw error;
  }
}
