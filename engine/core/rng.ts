/**
 * Seeded random streams.
 *
 * Every component draws from its own named stream (`rngs.stream('scheduler')`), derived from the
 * run seed and the stream name alone, so adding a component or a draw in one component never
 * shifts the numbers another component sees. One generator type throughout: xoroshiro128+ from
 * pure-rand.
 *
 * The 128-bit start state is a bijection of (seed low 32 bits, seed high 32 bits, two 32-bit
 * hashes of the name): eight invertible rounds `s[i] ^= mix32(s[i-1] + k)` (a Feistel-style
 * network over four words), so no two (seed, name) pairs share a start state unless both
 * 32-bit name hashes collide (odds about 2^-64 per pair), and after two passes every state word
 * depends on every input bit. Folding the seed or the name to 32 bits first would not do: any
 * 53-bit seed then has a 2^32-away twin with the same streams, and FNV-1a alone collides on real
 * words ("costarring"/"liquid"), which would give two components the very same numbers.
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

/** A second 32-bit name hash, independent of FNV-1a (MurmurHash2-style multiply, then mix32). */
function murmurish32(text: string): number {
  let hash = 0x5bd1e995 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    hash = Math.imul(hash ^ text.charCodeAt(i), 0x5bd1e995);
    hash ^= hash >>> 15;
  }
  return mix32(hash);
}

/** Creates one stream from a run seed and a stream name. */
export function createStream(seed: number, name: string): Rng {
  const state = [seed >>> 0, Math.floor(seed / 0x100000000) >>> 0, fnv1a32(name), murmurish32(name)];
  // Each round is invertible (x ^= f(other word)), so the whole map is a bijection on 128 bits.
  for (let round = 0; round < 8; round++) {
    const i = round & 3;
    state[i] = state[i]! ^ mix32(state[(i + 3) & 3]! + Math.imul(0x9e3779b9, round + 1));
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
