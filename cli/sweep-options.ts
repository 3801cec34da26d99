/** Command-line values of sweeps (--runs, --workers, --shard, --vary); each throws a UsageError naming the flag. */
import os from 'node:os';
import type { Shard } from '../engine/parallel/plan.js';
import { parseOverridePath } from '../engine/scenario/overrides.js';
import { usage } from './errors.js';
import { parsePositiveInt } from './options.js';

/** More runs than this is a typo, not a sweep (outputs would be terabytes). */
export const MAX_RUNS = 100_000;

export function parseRuns(value: string): number {
  const n = parsePositiveInt(value, '--runs');
  if (n > MAX_RUNS) throw usage.badNumber('--runs', value, `an integer from 1 to ${MAX_RUNS}`);
  return n;
}

export function parseWorkers(value: string): number {
  const n = parsePositiveInt(value, '--workers');
  if (n > 1024) throw usage.badNumber('--workers', value, 'an integer from 1 to 1024');
  return n;
}

/** One worker per core, but no more workers than runs. */
export function defaultWorkers(tasks: number): number {
  return Math.max(1, Math.min(os.availableParallelism(), tasks));
}

/** `I/N`, 1 <= I <= N (I is 1-based; a Job's JOB_COMPLETION_INDEX is 0-based: use $((JOB_COMPLETION_INDEX+1))). */
export function parseShard(value: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !(count >= 1) || !(index >= 1) || index > count) {
    throw usage.badValue('--shard', value, 'I/N with 1 <= I <= N, e.g. 2/8');
  }
  return { index, count };
}

export interface Vary {
  path: string;
  values: string[];
}

/** `PATH=V1,V2,...`; values are YAML, split at commas outside brackets and quotes (`{a: 1, b: 2}` is one value). */
export function parseVary(value: string, previous: Vary[] = []): Vary[] {
  const eq = value.indexOf('=');
  const path = eq > 0 ? value.slice(0, eq).trim() : '';
  if (!path || !parseOverridePath(path)) {
    throw usage.badValue('--vary', value, 'PATH=V1,V2,... with a PATH such as spec.load[0].arrivals.rate');
  }
  const values = splitTopLevel(value.slice(eq + 1)).map((v) => v.trim());
  if (values.length === 0 || values.some((v) => v === '')) throw usage.badValue('--vary', value, 'a comma-separated list of values after =');
  if (new Set(values).size !== values.length) throw usage.badValue('--vary', value, 'distinct values');
  if (previous.some((p) => p.path === path)) throw usage.badValue('--vary', value, `one --vary per path (${path} is given twice)`);
  return [...previous, { path, values }];
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let current = '';
  for (const c of text) {
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  parts.push(current);
  return parts;
}

/** Every combination, the first --vary varying slowest; each a list of PATH=VALUE assignments. */
export function combinations(varies: readonly Vary[]): string[][] {
  let combos: string[][] = [[]];
  for (const v of varies) combos = combos.flatMap((c) => v.values.map((value) => [...c, `${v.path}=${value}`]));
  return combos;
}
