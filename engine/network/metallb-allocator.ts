/**
 * MetalLB's IP allocator (internal/allocator/allocator.go), one per controller: which Service
 * (by `namespace/name`) holds which address of which pool. One allocator serves the Services of
 * the manifests at time zero and every later change, so a Service created from the timeline
 * gets the next free address and a deleted one frees its own.
 *
 * - `assign` (Assign): the requested addresses, if a pool owns each of them ("%q is not allowed
 *   in config") and no other Service holds them (checkSharing: without a sharing key, "can't
 *   change sharing key for %q, address also in use by %s"). Idempotent for the holder.
 * - `allocateFromPool` (AllocateFromPool): the Service's current addresses if it has some, else
 *   the first free address of the pool, CIDR by CIDR in `spec.addresses` order and lowest first
 *   within each (getIPFromCIDR), skipping .0/.255 under avoidBuggyIPs. `autoAssign` is not
 *   checked: a pool asked for by name is used even when it does not auto-assign.
 * - `allocate` (Allocate): the Service's current addresses, else the first pool with
 *   `autoAssign` that has a free address. Upstream ranges over a Go map (random order); kubesim
 *   takes the pools in name order (metallb-pools.ts), its one choice here.
 *
 * Not modelled: IP sharing (allow-shared-ip: every address has one holder), IPv6 and dual-stack
 * pools (kubesim's clusters are IPv4), `serviceAllocation` (pools pinned to namespaces or
 * Service selectors, with priorities; such a pool is treated as an ordinary one).
 */
import { intToIp } from './ipv4.js';
import { confusesBuggyFirmwares, poolContains, type MetalLbPool } from './metallb-pools.js';
import { goQuote, goQuoteList, type IPFamilyName } from './metallb-requests.js';

/** The addresses (as numbers) and pool an operation gave the Service, or upstream's error. */
export type Allocation = { ips: number[]; pool: string } | { error: string };

export class MetalLbAllocator {
  /** Service key -> its addresses and their pool. */
  private readonly allocated = new Map<string, { ips: number[]; pool: string }>();
  /** Address -> the Service key holding it. */
  private readonly holder = new Map<number, string>();

  constructor(readonly pools: readonly MetalLbPool[]) {}

  /** The pool owning every one of `ips`, undefined if some address is in none (poolsFor). */
  poolFor(ips: readonly number[]): MetalLbPool | undefined {
    let owner: MetalLbPool | undefined;
    for (const ip of ips) {
      const p = this.pools.find((pool) => poolContains(pool, ip));
      if (!p) return undefined;
      owner ??= p;
    }
    return owner;
  }

  /** The Service's addresses, undefined if it holds none. */
  ips(key: string): readonly number[] | undefined {
    return this.allocated.get(key)?.ips;
  }

  /** Pool: the pool the Service's addresses come from, "" if it holds none. */
  pool(key: string): string {
    return this.allocated.get(key)?.pool ?? '';
  }

  /** Unassign: frees the Service's addresses; false if it held none. */
  unassign(key: string): boolean {
    const alloc = this.allocated.get(key);
    if (!alloc) return false;
    this.allocated.delete(key);
    for (const ip of alloc.ips) if (this.holder.get(ip) === key) this.holder.delete(ip);
    return true;
  }

  /** Assign: `ips` to the Service, or why not. */
  assign(key: string, ips: readonly number[]): Allocation {
    const pool = this.poolFor(ips);
    if (!pool) return { error: `${goQuoteList(ips.map(intToIp))} is not allowed in config` };
    for (const ip of ips) {
      const other = this.holder.get(ip);
      // checkSharing: the address's existing holder has no sharing key (sharing is not modelled).
      if (other !== undefined && other !== key) return { error: `can't change sharing key for ${goQuote(key)}, address also in use by ${other}` };
    }
    this.unassign(key);
    const alloc = { ips: [...ips], pool: pool.name };
    this.allocated.set(key, alloc);
    for (const ip of ips) this.holder.set(ip, key);
    return { ips: alloc.ips, pool: alloc.pool };
  }

  /** AllocateFromPool for an IPv4 Service (`family` is the Service's, for the message). */
  allocateFromPool(key: string, poolName: string, family: IPFamilyName = 'ipv4'): Allocation {
    const current = this.allocated.get(key);
    if (current) return this.assign(key, current.ips);
    const pool = this.pools.find((p) => p.name === poolName);
    if (!pool) return { error: `unknown pool ${goQuote(poolName)}` };
    const ip = family === 'ipv4' ? this.firstFree(pool, key) : undefined;
    if (ip === undefined) return { error: `no available IPs in pool ${goQuote(poolName)} for ${family} IPFamily` };
    return this.assign(key, [ip]);
  }

  /** Allocate: any free address of an auto-assign pool, pools in name order. */
  allocate(key: string, family: IPFamilyName = 'ipv4'): Allocation {
    const current = this.allocated.get(key);
    if (current) return this.assign(key, current.ips);
    for (const pool of this.pools) {
      if (!pool.autoAssign) continue;
      const got = this.allocateFromPool(key, pool.name, family);
      if (!('error' in got)) return got;
    }
    return { error: 'no available IPs' };
  }

  /** getIPFromCIDR over the pool's ranges: the lowest address no other Service holds. */
  private firstFree(pool: MetalLbPool, key: string): number | undefined {
    for (const range of pool.ranges) {
      for (let ip = range.first; ip <= range.last; ip++) {
        if (pool.avoidBuggyIPs && confusesBuggyFirmwares(ip)) continue;
        const h = this.holder.get(ip);
        if (h === undefined || h === key) return ip;
      }
    }
    return undefined;
  }
}
