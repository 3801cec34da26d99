/**
 * The ClusterIP range of kube-apiserver (--service-cluster-ip-range), as
 * pkg/registry/core/service/ipallocator/bitmap.go keeps it over allocator/bitmap.go:
 *
 * - the usable addresses are those strictly between the network and the broadcast address
 *   (offset 0 is network + 1); an address outside them is "not in the valid range";
 * - KEP-3070 (Reserve Service IP Ranges For Dynamic and Static IP Allocation, GA in 1.26):
 *   `calculateRangeOffset` splits the range at min(max(16, size / 16), 256) (0 for a range of
 *   16 addresses or fewer); dynamic allocation (`randomScanStrategyWithOffset`) starts at a
 *   random offset of the upper band and scans forward, wrapping inside the band, and only when
 *   the upper band is full does the same in the lower band, which is thereby left to static
 *   (user-chosen) addresses. The MultiCIDRServiceAllocator (ipallocator.go, IPAddress objects)
 *   keeps the same two-band random scan.
 *
 * Upstream draws the random start from math/rand seeded with the wall clock; kubesim draws it
 * from the run's named stream, so a run replays exactly. Allocated offsets are kept in a set,
 * not a bitmap: memory follows the number of Services, not the size of the range.
 */
import type { Rng } from '../core/rng.js';
import { canonicalCidr, cidrBlock, intToIp, ipToInt, IPV4_PATTERN } from '../network/ipv4.js';

/** kube-apiserver --service-cluster-ip-range as kubeadm sets it (networking.serviceSubnet default). */
export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';

/** ipallocator ErrAllocated and ErrFull (interfaces.go). */
export const ERR_ALLOCATED = 'provided IP is already allocated';
export const ERR_FULL = 'range is full';

/** ipallocator ErrNotInRange (interfaces.go, Kubernetes 1.27-1.32 wording). */
export function errNotInRange(ip: string, validRange: string): string {
  return `the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${validRange}`;
}

/** ipallocator calculateRangeOffset: min(max(16, size / 16), 256), 0 when size <= 16 (size counts every address of the CIDR). */
export function calculateRangeOffset(size: number): number {
  const min = 16;
  const max = 256;
  const step = 16;
  if (size <= min) return 0;
  const offset = Math.floor(size / step);
  return offset < min ? min : offset > max ? max : offset;
}

export class ServiceIPRange {
  /** The range as kube-apiserver prints it (host bits cleared). */
  readonly cidr: string;
  /** Usable addresses: the size minus network and broadcast. */
  readonly max: number;
  /** Where the upper (dynamic-first) band starts, as an offset. */
  readonly rangeOffset: number;
  /** Address of offset 0 (network + 1). */
  private readonly base: number;
  private readonly allocated = new Set<number>();

  /** `rng` draws the random starts of dynamic allocation; a range without one only checks and reserves given addresses. */
  constructor(
    cidr: string,
    private readonly rng?: Rng,
  ) {
    const { network, size } = cidrBlock(cidr);
    this.cidr = canonicalCidr(cidr);
    this.base = network + 1;
    this.max = Math.max(0, size - 2);
    this.rangeOffset = calculateRangeOffset(size);
  }

  /** The offset of `ip` in the range, or -1 when it is not a usable address of it (Range.contains). */
  offsetOf(ip: string): number {
    if (!IPV4_PATTERN.test(ip)) return -1;
    const offset = ipToInt(ip) - this.base;
    return offset >= 0 && offset < this.max ? offset : -1;
  }

  /** The address at `offset` (utilnet.GetIndexedIP(cidr, offset + 1)). */
  at(offset: number): string {
    return intToIp(this.base + offset);
  }

  has(ip: string): boolean {
    const offset = this.offsetOf(ip);
    return offset >= 0 && this.allocated.has(offset);
  }

  get used(): number {
    return this.allocated.size;
  }

  /** Range.Allocate: reserves `ip`; the refusal (ErrNotInRange, ErrAllocated) or undefined. */
  allocate(ip: string): string | undefined {
    const refused = this.check(ip);
    if (refused === undefined) this.allocated.add(this.offsetOf(ip));
    return refused;
  }

  /** What Allocate would answer, without reserving anything. */
  check(ip: string): string | undefined {
    const offset = this.offsetOf(ip);
    if (offset < 0) return errNotInRange(ip, this.cidr);
    return this.allocated.has(offset) ? ERR_ALLOCATED : undefined;
  }

  /** Range.AllocateNext with randomScanStrategyWithOffset; undefined when the range is full. */
  allocateNext(): string | undefined {
    if (this.allocated.size >= this.max) return undefined;
    const lower = this.rangeOffset;
    const upper = this.max - lower;
    const offset = this.scan(lower, upper) ?? this.scan(0, lower);
    if (offset === undefined) return undefined;
    this.allocated.add(offset);
    return this.at(offset);
  }

  /** Range.Release; releasing an address that is not allocated, or not in the range, does nothing. */
  release(ip: string): void {
    const offset = this.offsetOf(ip);
    if (offset >= 0) this.allocated.delete(offset);
  }

  /** A free offset of [from, from + count), scanning forward from a random start and wrapping. */
  private scan(from: number, count: number): number | undefined {
    if (count <= 0) return undefined;
    if (!this.rng) throw new Error('ServiceIPRange: dynamic allocation needs a random stream');
    const start = this.rng.int(count);
    for (let i = 0; i < count; i++) {
      const at = from + ((start + i) % count);
      if (!this.allocated.has(at)) return at;
    }
    return undefined;
  }
}
