/**
 * What a sweep runs: every variant times every replication, as a flat list of tasks in output
 * order (variant-major, then run). Every variant uses the same seeds (common random numbers), so
 * differences between variants are not drowned in seed-to-seed noise.
 *
 * A shard `I/N` is a contiguous block of that list, so shard outputs concatenated in shard
 * order are exactly the outputs of the whole sweep (`kubesim merge`).
 */
import type { Scenario } from '../scenario/types.js';
import { replicationSeed } from './seeds.js';

export interface Variant {
  /** Readable and unique: `base`, or the assignments that make it, `spec.load[0].arrivals.rate=400`. */
  name: string;
  /** The `PATH=VALUE` assignments applied to the scenario for this variant. */
  assignments: string[];
  scenario: Scenario;
}

export interface SweepTask {
  /** Position in the whole sweep, 0-based: the order of the output rows. */
  index: number;
  variantIndex: number;
  variant: string;
  run: number;
  seed: number;
}

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export function planTasks(variants: readonly Pick<Variant, 'name'>[], runs: number, baseSeed: number): SweepTask[] {
  const tasks: SweepTask[] = [];
  variants.forEach((v, variantIndex) => {
    for (let run = 1; run <= runs; run++) {
      tasks.push({ index: tasks.length, variantIndex, variant: v.name, run, seed: replicationSeed(baseSeed, run) });
    }
  });
  return tasks;
}

/** Tasks [floor((I-1)T/N), floor(IT/N)): blocks differ in size by at most one. */
export function shardTasks<T>(tasks: readonly T[], shard: Shard): T[] {
  const from = Math.floor(((shard.index - 1) * tasks.length) / shard.count);
  const to = Math.floor((shard.index * tasks.length) / shard.count);
  return tasks.slice(from, to);
}
