/**
 * Seeded random streams.
 *
 * Every component draws from its own named stream (`rngs.stream('scheduler')`), derived from the
 * run seed and the stream name alone, so adding a component or a draw in one component never
 * shifts the numbers another component sees. One generator type throughout: xoroshiro128+ from
 * pure-rand. The 128-bit start state of a stream is four rounds of SplitMix32-style mixing of
 * (seed, FNV-1a hash of the name); streams with different names start in unrelated states.
 */
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

export interface Rng {
  /** Uniform in [0, 1), 53 random bits. */
  float(): number;
  /** Uniform integer in [0, n), n >= 1, without modulo bias. */
  int(n: number): number;
  /** Raw 32-bit draw (signed, as pure-rand returns it). */
  next32(): number;
}

/** FNV-1a, 32-bit, over the UTF-16 code units of `text`. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The finalizer of MurmurHash3: a bijective 32-bit avalanche mix. */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x | 0;
}

const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;

class XoroshiroRng implements Rng {
  constructor(private readonly gen: RandomGenerator) {}

  float(): number {
    const hi = this.gen.next() >>> 5; // 27 bits
    const lo = this.gen.next() >>> 6; // 26 bits
    return (hi * TWO_POW_26 + lo) / TWO_POW_53;
  }

  int(n: number): number {
    if (!(n >= 1) || !Number.isInteger(n)) throw new RangeError(`Rng.int needs an integer n >= 1, got ${n}`);
    if (n === 1) return 0;
    if (n <= 0x100000000) {
      // Rejection sampling on 32 bits: accept below the largest multiple of n.
      const limit = 0x100000000 - (0x100000000 % n);
      for (;;) {
        const x = this.gen.next() >>> 0;
        if (x < limit) return x % n;
      }
    }
    return Math.floor(this.float() * n);
  }

  next32(): number {
    return this.gen.next();
  }
}

/** Creates one stream from a run seed and a stream name. */
export function createStream(seed: number, name: string): Rng {
  const nameHash = fnv1a32(name);
  const seedLo = seed >>> 0;
  const seedHi = Math.floor(seed / 0x100000000) >>> 0;
  let s = mix32(seedLo ^ mix32(seedHi + 0x9e3779b9));
  const state: number[] = [];
  for (let i = 0; i < 4; i++) {
    s = mix32(s + 0x9e3779b9 * (i + 1) + nameHash);
    state.push(s);
  }
  // xoroshiro must not start from the all-zero state.
  if ((state[0]! | state[1]! | state[2]! | state[3]!) === 0) state[0] = 1;
  return new XoroshiroRng(xoroshiro128plusFromState(state));
}

/** The named streams of one run. */
export class RngStreams {
  private readonly streams = new Map<string, Rng>();

  constructor(readonly seed: number) {}

  stream(name: string): Rng {
    let rng = this.streams.get(name);
    if (!rng) {
      rng = createStream(this.seed, name);
      this.streams.set(name, rng);
    }
    return rng;
  }
}
