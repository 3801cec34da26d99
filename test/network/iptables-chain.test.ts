/**
 * kube-proxy's iptables KUBE-SVC chain (rule i matching with probability 1/(n-i)) picks
 * endpoints uniformly: a chi-square goodness-of-fit test on a fixed seed.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { createStream } from '../../engine/core/rng.js';
import { IptablesChain } from '../../engine/network/iptables-chain.js';

/**
 * Upper 0.1% points of the chi-square distribution (NIST/SEMATECH e-Handbook of Statistical
 * Methods, table 1.3.6.7.4): a uniform chooser exceeds them with probability 0.001.
 */
const CHI2_999: Record<number, number> = { 2: 13.816, 4: 18.467, 9: 27.877 };

for (const n of [3, 5, 10]) {
  test(`the probability chain picks each of ${n} endpoints with probability 1/${n} (chi-square, p = 0.001)`, () => {
    const rng = createStream(42, `chain-${n}`);
    const chain = new IptablesChain();
    const draws = 200_000;
    const counts = new Array<number>(n).fill(0);
    let rules = 0;
    for (let k = 0; k < draws; k++) {
      counts[chain.pick(n, rng)]!++;
      rules += chain.rulesTested;
    }
    const expected = draws / n;
    const chi2 = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    assert.ok(chi2 < CHI2_999[n - 1]!, `chi-square ${chi2.toFixed(2)} with ${n - 1} degrees of freedom, counts ${counts}`);
    // Endpoint i < n-1 is reached after testing i + 1 rules, the last one after all n: mean ((n-1)n/2 + n)/n = (n + 1)/2.
    const meanRules = (n + 1) / 2;
    assert.ok(Math.abs(rules / draws - meanRules) < 0.05, `mean rules tested ${rules / draws} vs ${meanRules}`);
  });
}

test('one endpoint needs no random draw and is always chosen', () => {
  const chain = new IptablesChain();
  const rng = createStream(1, 'one');
  for (let k = 0; k < 10; k++) assert.equal(chain.pick(1, rng), 0);
});
