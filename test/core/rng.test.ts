/**
 * Seeded RNG streams: determinism, separation of (seed, name) pairs, independence between
 * streams, ranges, uniformity (chi-square) and cross-stream correlation (Pearson r).
 * Statistical tests run on fixed seeds, so they are deterministic; their thresholds are the
 * textbook critical values, stated with each test, not numbers tuned to pass.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createStream, RngStreams, type Rng } from '../../engine/core/rng.js';

function draws(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => rng.next32());
}

/** Pearson's chi-square statistic of observed counts against equal expected counts. */
function chiSquare(counts: number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const expected = total / counts.length;
  return counts.reduce((sum, c) => sum + ((c - expected) * (c - expected)) / expected, 0);
}

/** Upper 0.1% points of the chi-square distribution (NIST/SEMATECH e-Handbook, table 1.3.6.7.4). */
const CHI2_999 = { 9: 27.877, 15: 37.697, 99: 148.23 } as const;

function pearson(xs: Float64Array, ys: Float64Array): number {
  const n = xs.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i]!;
    my += ys[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

test('the same (seed, name) gives the same sequence', () => {
  fc.assert(
    fc.property(fc.maxSafeNat(), fc.string(), (seed, name) => {
      const a = createStream(seed, name);
      const b = new RngStreams(seed).stream(name);
      assert.deepEqual([a.float(), a.int(1000), ...draws(a, 8)], [b.float(), b.int(1000), ...draws(b, 8)]);
    }),
  );
});

test('different names or different seeds give different sequences', () => {
  fc.assert(
    fc.property(fc.maxSafeNat(), fc.maxSafeNat(), fc.string(), fc.string(), (s1, s2, n1, n2) => {
      fc.pre(s1 !== s2 || n1 !== n2);
      assert.notDeepEqual(draws(createStream(s1, n1), 4), draws(createStream(s2, n2), 4));
    }),
    { numRuns: 1000 },
  );
  // Adjacent seeds and names, the common case in Monte-Carlo runs and per-object streams.
  const seen = new Set<string>();
  for (let seed = 0; seed < 50; seed++) {
    for (let k = 0; k < 50; k++) seen.add(draws(createStream(seed, `pod-${k}`), 2).join(','));
  }
  assert.equal(seen.size, 2500);
});

test('regression: seeds 2^32 apart and FNV-1a-colliding names still differ', () => {
  // With the seed folded to 32 bits, seed 4369077861 (= 2^32 + 74110565) had exactly the
  // streams of seed 0; "costarring" and "liquid" have the same 32-bit FNV-1a hash.
  assert.notDeepEqual(draws(createStream(0, 'scheduler'), 4), draws(createStream(4369077861, 'scheduler'), 4));
  assert.notDeepEqual(draws(createStream(1, 'costarring'), 4), draws(createStream(1, 'liquid'), 4));
  assert.notDeepEqual(draws(createStream(1, 'declinate'), 4), draws(createStream(1, 'macallums'), 4));
});

test('drawing from one stream does not change another', () => {
  const alone = new RngStreams(42);
  const expected = draws(alone.stream('b'), 100);
  const shared = new RngStreams(42);
  const a = shared.stream('a');
  const b = shared.stream('b');
  const got: number[] = [];
  for (let i = 0; i < 100; i++) {
    for (let k = 0; k < i % 5; k++) a.float();
    a.int(7);
    got.push(b.next32());
  }
  assert.deepEqual(got, expected);
  // Creating a stream late gives the same numbers as creating it first.
  const late = new RngStreams(42);
  for (let i = 0; i < 1000; i++) late.stream('c').float();
  assert.deepEqual(draws(late.stream('b'), 100), expected);
});

test('float() lies in [0, 1) and int(n) in [0, n), integer', () => {
  fc.assert(
    fc.property(
      fc.nat(),
      fc.oneof(fc.integer({ min: 1, max: 100 }), fc.constantFrom(2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 40, 3e9)),
      (seed, n) => {
        const rng = createStream(seed, 'range');
        for (let i = 0; i < 50; i++) {
          const u = rng.float();
          assert.ok(u >= 0 && u < 1, `float ${u}`);
          const k = rng.int(n);
          assert.ok(Number.isInteger(k) && k >= 0 && k < n, `int(${n}) = ${k}`);
        }
      },
    ),
  );
  const rng = createStream(3, 'range');
  assert.equal(rng.int(1), 0);
  for (const bad of [0, -1, 2.5, Number.NaN]) assert.throws(() => rng.int(bad), RangeError);
});

test('float() and int(n) are uniform (chi-square, p = 0.001 critical values)', () => {
  const n = 100_000;
  const rng = createStream(20240601, 'uniformity');
  const cases: { name: string; bins: number; df: keyof typeof CHI2_999; bin: () => number }[] = [
    { name: 'float() in 100 bins', bins: 100, df: 99, bin: () => Math.floor(rng.float() * 100) },
    { name: 'int(10)', bins: 10, df: 9, bin: () => rng.int(10) },
    // A power of two uses the lowest bits, the weakest ones of xoroshiro128+.
    { name: 'int(16)', bins: 16, df: 15, bin: () => rng.int(16) },
    // n near 2^32: about 30% of raw draws are rejected.
    { name: 'int(3e9) in 10 bins', bins: 10, df: 9, bin: () => Math.floor(rng.int(3e9) / 3e8) },
    // n above 2^32 takes the float path.
    { name: 'int(2^40) in 16 bins', bins: 16, df: 15, bin: () => Math.floor(rng.int(2 ** 40) / 2 ** 36) },
  ];
  for (const c of cases) {
    const counts = new Array<number>(c.bins).fill(0);
    for (let i = 0; i < n; i++) counts[c.bin()]!++;
    const stat = chiSquare(counts);
    assert.ok(stat < CHI2_999[c.df], `${c.name}: chi-square ${stat.toFixed(2)} >= ${CHI2_999[c.df]} (df ${c.df})`);
  }
});

test('streams of adjacent names and seeds are uncorrelated (|r| < 5/sqrt(n))', () => {
  // Under independence r is approximately Normal(0, 1/n); 5 standard errors on n = 10^5 is 0.0158.
  const n = 100_000;
  const limit = 5 / Math.sqrt(n);
  const pairs: [number, string, number, string][] = [
    [1, 'pod-1', 1, 'pod-2'],
    [1, 'node-0', 1, 'node-1'],
    [1, 'a', 1, 'b'],
    [1, 'kubelet', 2, 'kubelet'],
    [2 ** 32, 'x', 2 ** 32 + 1, 'x'],
  ];
  for (const [s1, n1, s2, n2] of pairs) {
    const a = createStream(s1, n1);
    const b = createStream(s2, n2);
    const xs = new Float64Array(n);
    const ys = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      xs[i] = a.float();
      ys[i] = b.float();
    }
    const r = pearson(xs, ys);
    assert.ok(Math.abs(r) < limit, `(${s1}, ${n1}) vs (${s2}, ${n2}): r = ${r.toFixed(5)}`);
  }
});
