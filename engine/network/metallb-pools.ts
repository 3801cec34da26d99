/**
 * MetalLB's address pools as its controller and speakers hold them (internal/config Pool): each
 * `metallb.io/v1beta1` IPAddressPool's addresses, in the order of `spec.addresses` (a range
 * `a-b` stands for the CIDRs MetalLB summarizes it into, in ascending order, so iterating
 * first..last visits the same addresses in the same order), `autoAssign` (default true) and
 * `avoidBuggyIPs` (default false: addresses ending in .0 or .255 are never used, as
 * internal/allocator/allocator.go ipConfusesBuggyFirmwares).
 *
 * Pools are kept in name order. Upstream holds them in a Go map (config.Pools.ByName) and
 * iterates it where order matters (allocator.go Allocate, poolsFor), which Go randomizes; kubesim
 * fixes name order so that a run is a function of the scenario. MetalLB's webhook refuses
 * overlapping pools, so poolFor's order matters only for a configuration MetalLB would reject.
 */
import type { IPAddressPool, KubeObject } from '../api/types.js';
import { CIDR_PATTERN, ipToInt, IPV4_PATTERN, parseCidr } from './ipv4.js';

/** First and last address (inclusive) of a pool entry: a CIDR (every address of it) or `a-b`; undefined if malformed. */
export function parseAddressRange(text: string): { first: number; last: number } | undefined {
  const t = text.trim();
  if (CIDR_PATTERN.test(t)) {
    const { base, prefix } = parseCidr(t);
    const size = 2 ** (32 - prefix);
    const first = Math.floor(base / size) * size;
    return { first, last: first + size - 1 };
  }
  const parts = t.split('-').map((p) => p.trim());
  if (parts.length !== 2 || !IPV4_PATTERN.test(parts[0]!) || !IPV4_PATTERN.test(parts[1]!)) return undefined;
  const first = ipToInt(parts[0]!);
  const last = ipToInt(parts[1]!);
  return first <= last ? { first, last } : undefined;
}

export interface MetalLbPool {
  name: string;
  /** The pool's address ranges, in `spec.addresses` order. */
  ranges: readonly { first: number; last: number }[];
  autoAssign: boolean;
  avoidBuggyIPs: boolean;
}

/** The IPAddressPools among `manifests`, in name order. */
export function metalLbPools(manifests: readonly KubeObject[]): MetalLbPool[] {
  return manifests
    .filter((m): m is IPAddressPool => m.kind === 'IPAddressPool')
    .map((p) => ({
      name: p.metadata.name,
      ranges: p.spec.addresses.map(parseAddressRange).filter((r) => r !== undefined),
      autoAssign: p.spec.autoAssign !== false,
      avoidBuggyIPs: p.spec.avoidBuggyIPs === true,
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** allocator.go ipConfusesBuggyFirmwares: an IPv4 address ending in 0 or 255. */
export function confusesBuggyFirmwares(ip: number): boolean {
  const last = ip % 256;
  return last === 0 || last === 255;
}

/** Whether `pool` may hand out `ip` (allocator.go poolsFor: inside one of its CIDRs, not a buggy address when it avoids them). */
export function poolContains(pool: MetalLbPool, ip: number): boolean {
  if (pool.avoidBuggyIPs && confusesBuggyFirmwares(ip)) return false;
  return pool.ranges.some((r) => ip >= r.first && ip <= r.last);
}

/** The pool that owns `ip` (allocator.go poolsFor, speaker/main.go poolFor), or undefined: not an address MetalLB's configuration allows. */
export function poolFor(pools: readonly MetalLbPool[], ip: string): MetalLbPool | undefined {
  if (!IPV4_PATTERN.test(ip)) return undefined;
  const n = ipToInt(ip);
  return pools.find((p) => poolContains(p, n));
}

/** The address a speaker reads for a Service (speaker/main.go SetBalancer: status.loadBalancer.ingress), or undefined while it has none. */
export function serviceAddress(svc: { status?: { loadBalancer?: { ingress?: readonly { ip?: string }[] } } }): string | undefined {
  return svc.status?.loadBalancer?.ingress?.[0]?.ip;
}
