/**
 * run.json: what produced a run folder. The only output allowed to hold wall-clock facts
 * (start time, wall seconds); every CSV is a pure function of scenario and seed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RunMetadata {
  kubesimVersion: string;
  scenario: { name: string; file: string; sha256: string; files: string[] };
  seeds: number[];
  arguments: string[];
  overrides: string[];
  defaults: unknown;
  startedAt: string;
  wallSeconds: number;
  events: number;
  node: string;
  /** Present for sweeps (`run --runs N`, `compare`, `merge`): how the runs were made. */
  sweep?: SweepMetadata;
}

export interface SweepMetadata {
  /** Replications per variant, and the base seed they derive from (engine/parallel/seeds.ts). */
  runs: number;
  baseSeed: number;
  variants: { name: string; assignments: string[] }[];
  /** Runs in the whole sweep (all shards). */
  tasks: number;
  /** Identifies the sweep (scenario bytes, variants, runs, seed, overrides): shards to merge must share it. */
  fingerprint: string;
  workers?: number;
  shard?: { index: number; count: number };
  /** Shards this folder was merged from. */
  mergedFrom?: string[];
  failures: { variant: string; run: number; seed: number; error: string }[];
  interrupted: boolean;
}

export function readRunMetadata(dir: string): RunMetadata {
  return JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as RunMetadata;
}

export function writeRunMetadata(dir: string, meta: RunMetadata): void {
  writeFileSync(join(dir, 'run.json'), `${JSON.stringify(meta, null, 2)}\n`);
}
