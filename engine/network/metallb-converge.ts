/**
 * MetalLB's controller converging one Service (controller/service.go convergeBalancer,
 * allocateIPs, clearServiceState): on a working copy of the Service, keep or release its
 * address, allocate one when it has none, and set `status.loadBalancer.ingress` and the
 * `metallb.io/ip-allocated-from-pool` annotation. Events and messages are upstream's:
 *
 * - `IPAllocated` (Normal) `Assigned IP ["a.b.c.d"]` when it allocates;
 * - `AllocationFailed` (Warning) `Failed to allocate IP for "ns/name": <allocator error>`; the
 *   Service stays `<pending>` and is not retried until something frees an address
 *   (metallb-controller.ts);
 * - `LoadBalancerFailed` (Warning) `invalid requested loadbalancer IPs: <error>` when a Service
 *   that has an address asks for addresses in an invalid way (a Service without one gets
 *   AllocationFailed with the same error, as upstream's allocateIPs returns it);
 * - `ClearAssignment` (Normal) when its current address is no longer allowed;
 * - `nolbIPsIPFamily` (Warning) when the addresses in its status have no single family.
 *
 * Left out, as kubesim's clusters are IPv4 single-stack: the dual-stack branches (RequireDualStack
 * without two cluster IPs, PreferDualStack's additional address) and their events.
 */
import type { Service } from '../api/types.js';
import type { EventType } from '../metrics/observer.js';
import { intToIp } from './ipv4.js';
import type { MetalLbAllocator } from './metallb-allocator.js';
import {
  addressFamily,
  ANNOTATION_IP_ALLOCATED_FROM_POOL,
  DEPRECATED_ANNOTATION_IP_ALLOCATED_FROM_POOL,
  desiredLbIPs,
  desiredPool,
  goQuote,
  goQuoteList,
  parseIP,
  serviceFamily,
  type IPFamilyName,
} from './metallb-requests.js';

/** Records an Event about the Service being converged. */
export type ServiceEventRecorder = (type: EventType, reason: string, message: string) => void;

/** clearServiceState: releases the Service's address and removes what the controller wrote. */
export function clearServiceState(allocator: MetalLbAllocator, key: string, svc: Service): void {
  allocator.unassign(key);
  const annotations = svc.metadata.annotations;
  if (annotations) {
    delete annotations[ANNOTATION_IP_ALLOCATED_FROM_POOL];
    delete annotations[DEPRECATED_ANNOTATION_IP_ALLOCATED_FROM_POOL];
  }
  svc.status = { ...svc.status, loadBalancer: {} };
}

/** allocateIPs: the requested addresses, else a free one of the requested pool, else of any auto-assign pool. */
function allocateIPs(allocator: MetalLbAllocator, key: string, svc: Service, family: IPFamilyName): { ips: number[] } | { error: string } {
  const desired = desiredLbIPs(svc);
  if ('error' in desired) return desired;
  const pool = desiredPool(svc);
  if (desired.ips.length > 0) {
    const list = goQuoteList(desired.ips.map((ip) => ip.text));
    if (desired.family !== family) return { error: `requested loadBalancer IP(s) ${list} does not match the ipFamily of the service` };
    const got = allocator.assign(key, desired.ips.map((ip) => ip.value));
    if ('error' in got) return got;
    if (pool !== '' && allocator.pool(key) !== pool) {
      allocator.unassign(key);
      return { error: `requested loadBalancer IP(s) ${list} is not compatible with requested address pool ${pool}` };
    }
    return got;
  }
  if (pool !== '') return allocator.allocateFromPool(key, pool, family);
  return allocator.allocate(key, family);
}

function sameAddresses(a: readonly number[], b: readonly number[]): boolean {
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/**
 * convergeBalancer on `svc`, a copy the caller compares with the stored Service afterwards.
 * False is upstream's ErrConverge: the Service is left as it is until the next sync.
 */
export function convergeBalancer(allocator: MetalLbAllocator, key: string, svc: Service, record: ServiceEventRecorder): boolean {
  // Not a LoadBalancer (any more): release, and do not allocate.
  if (svc.spec.type !== 'LoadBalancer') {
    clearServiceState(allocator, key, svc);
    return true;
  }
  if (allocator.pools.length === 0) {
    clearServiceState(allocator, key, svc);
    return false;
  }
  const family = serviceFamily(svc);
  if (family === undefined) {
    clearServiceState(allocator, key, svc);
    return false;
  }
  // The addresses in the status are the end state of convergence; none: start from a clean slate.
  const texts = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? '').filter((ip) => ip !== '');
  let lbIPs: number[] = [];
  if (texts.length === 0) clearServiceState(allocator, key, svc);
  else {
    // net.ParseIP gives nil for an unreadable address: printed "<nil>", and To4() == nil makes it IPv6.
    const parsed = texts.map((t) => parseIP(t) ?? { text: '<nil>', family: 'ipv6' as const, value: -1 });
    const lbFamily = addressFamily(parsed);
    if (typeof lbFamily !== 'string') {
      record('Warning', 'nolbIPsIPFamily', `Failed to retrieve LBIPs IPFamily for ${goQuoteList(parsed.map((ip) => ip.text))}: ${lbFamily.error}`);
    }
    // serviceFamilyChanged: addresses of another family than the Service's (or of none) are dropped.
    if (lbFamily !== family) clearServiceState(allocator, key, svc);
    else lbIPs = parsed.map((ip) => ip.value);
  }
  if (lbIPs.length > 0) {
    // Idempotent while the configuration still allows the address.
    const kept = allocator.assign(key, lbIPs);
    if ('error' in kept) {
      record('Normal', 'ClearAssignment', `current IP for ${goQuote(key)} not allowed by config, will attempt for new IP assignment: ${kept.error}`);
      clearServiceState(allocator, key, svc);
      lbIPs = [];
    }
    // The user asked for another pool than the one the address is from.
    const pool = desiredPool(svc);
    if (lbIPs.length > 0 && pool !== '' && allocator.pool(key) !== pool) {
      clearServiceState(allocator, key, svc);
      lbIPs = [];
    }
    // The user set or changed the requested addresses.
    const desired = desiredLbIPs(svc);
    if ('error' in desired) {
      record('Warning', 'LoadBalancerFailed', `invalid requested loadbalancer IPs: ${desired.error}`);
      return false;
    }
    if (desired.ips.length > 0 && !sameAddresses(lbIPs, desired.ips.map((ip) => ip.value))) {
      clearServiceState(allocator, key, svc);
      lbIPs = [];
    }
  }
  if (lbIPs.length === 0) {
    const got = allocateIPs(allocator, key, svc, family);
    if ('error' in got) {
      // The controller loop converges this Service again when another one frees an address.
      record('Warning', 'AllocationFailed', `Failed to allocate IP for ${goQuote(key)}: ${got.error}`);
      return false;
    }
    lbIPs = got.ips;
    record('Normal', 'IPAllocated', `Assigned IP ${goQuoteList(lbIPs.map(intToIp))}`);
  }
  svc.status = { ...svc.status, loadBalancer: { ingress: lbIPs.map((ip) => ({ ip: intToIp(ip) })) } };
  const annotations = (svc.metadata.annotations ??= {});
  annotations[ANNOTATION_IP_ALLOCATED_FROM_POOL] = allocator.pool(key);
  delete annotations[DEPRECATED_ANNOTATION_IP_ALLOCATED_FROM_POOL];
  return true;
}
