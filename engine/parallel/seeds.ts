/**
 * The seed of each replication, derived from the base seed S (`--seed`, else `spec.seed`):
 *
 *   seed(run) = (S + (run - 1) * 0x9E3779B9) mod 2^32        run = 1, 2, ...
 *
 * Run 1 keeps S, so `--runs 1` is the single run users already know. The increment is the
 * 32-bit golden-ratio constant (Knuth, TAOCP 6.4; the Weyl step of splitmix): it is odd, so the
 * first 2^32 runs get distinct seeds, and consecutive runs land far apart, so sweeps started at
 * nearby base seeds (1 and 2) do not share runs as `S + run - 1` would. Every stream of a run is
 * hashed from its seed and its name (engine/core/rng.ts), so related seeds give unrelated draws.
 */
export const SEED_STEP = 0x9e3779b9;

export function replicationSeed(baseSeed: number, run: number): number {
  if (!Number.isInteger(run) || run < 1) throw new RangeError(`run numbers start at 1, got ${run}`);
  // Math.imul keeps the product exact modulo 2^32; >>> 0 makes it unsigned.
  return (baseSeed + Math.imul(run - 1, SEED_STEP)) >>> 0;
}
