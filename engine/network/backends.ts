/**
 * One list of endpoints a node's kube-proxy balances a Service over (all of them, or only the
 * node's own under a Local traffic policy), with the mode's choice state: the iptables
 * probability chain, an IPVS scheduler with its active-connection counts, or nftables'
 * `numgen random mod n` verdict map (pkg/proxy/nftables/proxier.go), which is uniform.
 */
import type { Rng } from '../core/rng.js';
import { IptablesChain } from './iptables-chain.js';
import { ipToInt } from './ipv4.js';
import { ipvsScheduler, type RealServers, type Scheduler } from './ipvs-schedulers.js';
import type { KubeProxyConfig } from './kube-proxy-config.js';
import type { Endpoint } from './service-table.js';

const EMPTY = new Uint32Array(0);

export class Backends implements RealServers {
  /** Open connections per endpoint (IPVS's activeconns). */
  readonly activeCounts: Int32Array;
  private readonly addresses: Uint32Array;
  private readonly chain: IptablesChain | undefined;
  private readonly scheduler: Scheduler | undefined;
  /** Rules of the KUBE-SVC chain the last iptables pick tested. */
  rulesTested = 0;

  constructor(
    readonly endpoints: readonly Endpoint[],
    config: KubeProxyConfig,
    previous: Backends | undefined,
  ) {
    this.activeCounts = new Int32Array(endpoints.length);
    // Only IPVS's hashing schedulers read addresses.
    this.addresses = config.mode === 'ipvs' ? Uint32Array.from(endpoints, (e) => ipToInt(e.ip)) : EMPTY;
    if (config.mode === 'iptables') this.chain = new IptablesChain();
    if (config.mode === 'ipvs') {
      this.scheduler = previous?.scheduler ?? ipvsScheduler(config.ipvs.scheduler);
      // Connections survive a rule sync: IPVS keeps its per-destination counters.
      const oldIndex = new Map(previous?.endpoints.map((e, i) => [e.podUid, i]));
      const newIndex = new Map(endpoints.map((e, i) => [e.podUid, i]));
      endpoints.forEach((e, i) => {
        const j = oldIndex.get(e.podUid);
        if (j !== undefined) this.activeCounts[i] = previous!.activeCounts[j]!;
      });
      this.scheduler.reset(this, (old) => newIndex.get(previous!.endpoints[old]!.podUid) ?? -1);
    }
  }

  get count(): number {
    return this.endpoints.length;
  }

  weight(): number {
    return 1;
  }

  active(i: number): number {
    return this.activeCounts[i]!;
  }

  address(i: number): number {
    return this.addresses[i]!;
  }

  /** Index of the endpoint for a new connection (count > 0), or -1 when IPVS finds none. */
  pick(rng: Rng, clientIp: number, vip: number): number {
    const n = this.endpoints.length;
    if (this.chain) {
      const i = this.chain.pick(n, rng);
      this.rulesTested = this.chain.rulesTested;
      return i;
    }
    if (this.scheduler) return this.scheduler.pick(this, clientIp, vip);
    return n === 1 ? 0 : rng.int(n);
  }

  indexOf(podUid: string): number {
    for (let i = 0; i < this.endpoints.length; i++) if (this.endpoints[i]!.podUid === podUid) return i;
    return -1;
  }

  opened(i: number): void {
    this.activeCounts[i]!++;
  }

  closed(podUid: string): void {
    const i = this.indexOf(podUid);
    if (i >= 0 && this.activeCounts[i]! > 0) this.activeCounts[i]!--;
  }
}
