/**
 * The IPVS schedulers kube-proxy's ipvs mode can use (--ipvs-scheduler), with the semantics of
 * the Linux kernel's net/netfilter/ipvs/ip_vs_<name>.c (summarized in ipvsadm(8)). kube-proxy
 * gives every real server weight 1 (pkg/proxy/ipvs/proxier.go syncEndpoint), so the weighted
 * variants behave as their plain ones there; the weights are kept for fidelity.
 *
 * "Overhead" is the kernel's ip_vs_dest_conn_overhead: (active << 8) + inactive connections;
 * kubesim counts a connection as active from its first packet to its close and has no
 * inactive (TIME_WAIT/FIN) connections, so the overhead orders as the active count.
 * Ties go to the first real server in list order, as the kernel's strict comparisons do.
 */
import { fnv1a32 } from '../core/rng.js';
import type { IpvsScheduler } from './kube-proxy-config.js';

/** What a scheduler sees of one virtual service: its real servers in list order. */
export interface RealServers {
  readonly count: number;
  weight(i: number): number;
  active(i: number): number;
  /** IPv4 address of real server i, as a 32-bit unsigned integer (sh/dh/mh tables hash it or the client). */
  address(i: number): number;
}

export interface Scheduler {
  /** Index of the real server for a new connection from `clientIp` to `vip`, or -1 if none is available. */
  pick(rs: RealServers, clientIp: number, vip: number): number;
  /** The real servers changed (a rule sync): rebuild any table. `keep` maps an old index to its new one (-1 if gone). */
  reset(rs: RealServers, keep: (oldIndex: number) => number): void;
}

/** ip_vs_rr.c: the server after the last one chosen, skipping weight 0 (list order, wrapping). */
class RoundRobin implements Scheduler {
  private last = -1;
  pick(rs: RealServers): number {
    for (let k = 1; k <= rs.count; k++) {
      const i = (this.last + k) % rs.count;
      if (rs.weight(i) > 0) return (this.last = i);
    }
    return -1;
  }
  reset(_rs: RealServers, keep: (old: number) => number): void {
    // The kernel keeps its pointer to the last server while it stays; otherwise it restarts at the head.
    this.last = this.last < 0 ? -1 : keep(this.last);
  }
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** ip_vs_wrr.c: interleaved weighted round robin over the current weight cw, lowered by the weights' gcd each pass. */
class WeightedRoundRobin implements Scheduler {
  private i = -1;
  private cw = 0;
  private mw = 0;
  private di = 1;
  pick(rs: RealServers): number {
    if (this.mw === 0) return -1;
    for (;;) {
      this.i = (this.i + 1) % rs.count;
      if (this.i === 0) {
        this.cw -= this.di;
        if (this.cw <= 0) this.cw = this.mw;
      }
      if (rs.weight(this.i) >= this.cw) return this.i;
    }
  }
  reset(rs: RealServers): void {
    this.mw = 0;
    this.di = 0;
    for (let i = 0; i < rs.count; i++) {
      this.mw = Math.max(this.mw, rs.weight(i));
      if (rs.weight(i) > 0) this.di = gcd(rs.weight(i), this.di);
    }
    this.di = Math.max(1, this.di);
    this.i = -1;
    this.cw = 0;
  }
}

/** Least overhead per weight (lc: weights ignored; wlc: overhead/weight; sed/nq: (active + 1)/weight). */
class LeastConnection implements Scheduler {
  constructor(private readonly kind: 'lc' | 'wlc' | 'sed' | 'nq') {}
  pick(rs: RealServers): number {
    let least = -1;
    let loh = 0;
    let lw = 1;
    for (let i = 0; i < rs.count; i++) {
      const w = rs.weight(i);
      if (w <= 0) continue;
      // nq (ip_vs_nq.c): an idle server is taken at once.
      if (this.kind === 'nq' && rs.active(i) === 0) return i;
      const doh = this.kind === 'lc' || this.kind === 'wlc' ? rs.active(i) * 256 : rs.active(i) + 1;
      const dw = this.kind === 'lc' ? 1 : w;
      // loh/lw > doh/dw, compared without division as the kernel does.
      if (least < 0 || loh * dw > doh * lw) {
        least = i;
        loh = doh;
        lw = dw;
      }
    }
    return least;
  }
  reset(): void {}
}

/** ip_vs_sh.c / ip_vs_dh.c: a 256-bucket table, bucket b holding server b's turn in weighted list order, indexed by a hash of the source (sh) or destination (dh) address. */
class HashTable implements Scheduler {
  private static readonly BITS = 8;
  private readonly table = new Int32Array(1 << HashTable.BITS).fill(-1);
  constructor(private readonly by: 'source' | 'destination') {}
  pick(_rs: RealServers, clientIp: number, vip: number): number {
    return this.table[hash32(this.by === 'source' ? clientIp : vip, HashTable.BITS)]!;
  }
  reset(rs: RealServers): void {
    // ip_vs_sh_reassign: walk the buckets, giving each server `weight` consecutive buckets in turn.
    let server = -1;
    let given = 0;
    const next = () => {
      for (let k = 1; k <= rs.count; k++) {
        const i = (server + k) % rs.count;
        if (rs.weight(i) > 0) return i;
      }
      return -1;
    };
    server = next();
    for (let b = 0; b < this.table.length; b++) {
      this.table[b] = server;
      if (server < 0) continue;
      if (++given >= rs.weight(server)) {
        given = 0;
        server = next();
      }
    }
  }
}

/** MurmurHash3's 32-bit finalizer, unsigned: the source hash Maglev indexes its table with. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** The kernel's hash_32: multiply by GOLDEN_RATIO_32 and keep the top `bits` (include/linux/hash.h). */
function hash32(value: number, bits: number): number {
  return (Math.imul(value, 0x61c88647) >>> 0) >>> (32 - bits);
}

/**
 * ip_vs_mh.c: Maglev hashing (D. E. Eisenbud et al., "Maglev: A Fast and Reliable Software
 * Network Load Balancer", NSDI 2016, section 3.4): each server has a permutation of the table
 * (offset, skip) from two hashes of its address, servers take their next preferred free slot in
 * turn until the table is full, and a connection's source hash picks a slot. The table has
 * 4093 slots (the kernel's default CONFIG_IP_VS_MH_TAB_INDEX). The kernel hashes with siphash
 * under random boot-time keys; kubesim uses fixed hashes, so its tables are reproducible.
 */
class Maglev implements Scheduler {
  private static readonly M = 4093;
  private readonly table = new Int32Array(Maglev.M).fill(-1);
  pick(_rs: RealServers, clientIp: number): number {
    return this.table[mix32(clientIp) % Maglev.M]!;
  }
  reset(rs: RealServers): void {
    const M = Maglev.M;
    this.table.fill(-1);
    const live = [...Array(rs.count).keys()].filter((i) => rs.weight(i) > 0);
    if (live.length === 0) return;
    const offset = live.map((i) => fnv1a32(`o${rs.address(i)}`) % M);
    const skip = live.map((i) => (fnv1a32(`s${rs.address(i)}`) % (M - 1)) + 1);
    const turn = new Array<number>(live.length).fill(0);
    let filled = 0;
    for (;;) {
      for (let k = 0; k < live.length; k++) {
        for (let w = 0; w < rs.weight(live[k]!); w++) {
          let c = (offset[k]! + turn[k]! * skip[k]!) % M;
          while (this.table[c]! >= 0) c = (offset[k]! + ++turn[k]! * skip[k]!) % M;
          this.table[c] = live[k]!;
          turn[k]!++;
          if (++filled === M) return;
        }
      }
    }
  }
}

export function ipvsScheduler(name: IpvsScheduler): Scheduler {
  switch (name) {
    case 'rr':
      return new RoundRobin();
    case 'wrr':
      return new WeightedRoundRobin();
    case 'lc':
    case 'wlc':
    case 'sed':
    case 'nq':
      return new LeastConnection(name);
    case 'sh':
      return new HashTable('source');
    case 'dh':
      return new HashTable('destination');
    case 'mh':
      return new Maglev();
  }
}
