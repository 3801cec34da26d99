/**
 * Endpoint choice in kube-proxy's iptables mode. The KUBE-SVC-* chain of a Service with n
 * endpoints has one rule per endpoint, tried in order; rule i (0-based) jumps to its KUBE-SEP
 * chain with `-m statistic --mode random --probability 1/(n-i)` and the last one jumps
 * unconditionally (pkg/proxy/iptables/proxier.go writeServiceToEndpointRules, the probability
 * printed with 10 decimals by proxier.go probability()). Each rule draws its own random
 * number, so the chain ends up uniform: P(i) = prod_{j<i} (1 - 1/(n-j)) x 1/(n-i) = 1/n.
 *
 * The kernel side (net/netfilter/xt_statistic.c): iptables stores the probability as
 * lround(p x 2^31) and a rule matches when (get_random_u32() & 0x7FFFFFFF) < that value;
 * this is done here with the same integer arithmetic.
 */
import type { Rng } from '../core/rng.js';

const thresholds: number[] = [0];

/** The xt_statistic threshold of the rule that matches with probability 1/k. */
function threshold(k: number): number {
  while (thresholds.length <= k) {
    const j = thresholds.length;
    const printed = Number((1 / j).toFixed(10));
    thresholds.push(Math.round(printed * 0x80000000));
  }
  return thresholds[k]!;
}

/** The 0-based endpoint index the chain picks among `n` (>= 1), and how many rules it tested (rulesTested). */
export class IptablesChain {
  /** Rules of the KUBE-SVC chain the last pick tested (its traversal cost). */
  rulesTested = 0;

  pick(n: number, rng: Rng): number {
    for (let i = 0; i < n - 1; i++) {
      if ((rng.next32() & 0x7fffffff) < threshold(n - i)) {
        this.rulesTested = i + 1;
        return i;
      }
    }
    this.rulesTested = n;
    return n - 1;
  }
}
