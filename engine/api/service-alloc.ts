/**
 * How the API server gives a Service its cluster IP, as kube-apiserver's Service registry does
 * (pkg/registry/core/service/storage/alloc.go allocateCreate, allocateUpdate and
 * releaseClusterIPs; storage.go patchAllocatedValues; strategy.go NormalizeClusterIPs and
 * dropTypeDependentFields), for a single-stack IPv4 cluster:
 *
 * - ExternalName Services get none; a headless Service (`clusterIP: None`) keeps `None`;
 * - an explicit `clusterIP` (or `clusterIPs[0]`) is reserved as asked, or refused with the
 *   allocator's error ("the provided IP (...) is not in the valid range...", "provided IP is
 *   already allocated"); without one, the next address from the range (service-ip-range.ts);
 * - `clusterIPs` mirrors `clusterIP`; `ipFamilies` and `ipFamilyPolicy` are initialized as
 *   initIPFamilyFields does (SingleStack, [IPv4]; headless without selector: RequireDualStack,
 *   both families, as upstream does even on a single-stack cluster);
 * - an update that leaves the allocated values out keeps them; the first cluster IP may not
 *   change once set; a change to ExternalName releases the address, a change from it
 *   allocates one; deletion releases it.
 *
 * Refusals carry the API server's Status message (`Service "web" is invalid: spec.clusterIPs:
 * Invalid value: []string{"10.0.0.5"}: failed to allocate IP 10.0.0.5: ...`), the field error
 * formatted as apimachinery 1.32 formats it (%#v of the bad value).
 */
import { ERR_FULL, type ServiceIPRange } from './service-ip-range.js';
import type { IPFamily, Service } from './types.js';
import { IPV4_PATTERN } from '../network/ipv4.js';

export const CLUSTER_IP_NONE = 'None';

/** Why the API server refused a Service write: Status reason and message, and the field errors (Status details causes) of an Invalid one. */
export interface ServiceRefusal {
  reason: 'Invalid' | 'InternalError';
  message: string;
  causes?: string[];
}

/**
 * What kubectl prints for a refusal (`The Service "web" is invalid: ...`, `Error from server
 * (InternalError): ...`). Several causes of an Invalid one go one per line, as cmdutil.checkErr
 * prints them (MultilineError: the heading, then `* ` and each cause).
 */
export function kubectlRefusalText(refusal: ServiceRefusal): string {
  if (refusal.reason !== 'Invalid') return `Error from server (InternalError): ${refusal.message}`;
  const causes = refusal.causes ?? [];
  if (causes.length < 2) return `The ${refusal.message}`;
  const heading = refusal.message.slice(0, refusal.message.indexOf(' is invalid: ') + ' is invalid: '.length);
  return `The ${heading}\n${causes.map((c) => `* ${c}`).join('\n')}`;
}

/** Go's %#v of a []string. */
export function goStringSlice(values: readonly string[] | undefined): string {
  return values === undefined ? '[]string(nil)' : `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
}

function invalid(svc: Service, field: string, detail: string): ServiceRefusal {
  return { reason: 'Invalid', message: `Service "${svc.metadata.name}" is invalid: ${field}: Invalid value: ${goStringSlice(svc.spec.clusterIPs)}: ${detail}` };
}

/** needsClusterIP (storage.go): every type but ExternalName. */
export function needsClusterIP(svc: Service): boolean {
  return (svc.spec.type ?? 'ClusterIP') !== 'ExternalName';
}

export function isHeadless(svc: Service): boolean {
  return svc.spec.clusterIPs?.length === 1 && svc.spec.clusterIPs[0] === CLUSTER_IP_NONE;
}

function sameList<T>(a: readonly T[] | undefined, b: readonly T[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function familyOf(ip: string): IPFamily {
  return IPV4_PATTERN.test(ip) ? 'IPv4' : 'IPv6';
}

/**
 * NormalizeClusterIPs (strategy.go, run before validation): a client that sets only the
 * singular field gets the plural one to match, on create and when an update changes only it.
 */
export function normalizeClusterIPs(svc: Service, before: Service | undefined): void {
  const spec = svc.spec;
  if (!spec.clusterIP) return;
  if (!spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
  else if (before && spec.clusterIP !== before.spec.clusterIP && sameList(spec.clusterIPs, before.spec.clusterIPs)) spec.clusterIPs = [spec.clusterIP, ...spec.clusterIPs.slice(1)];
}

/** initIPFamilyFields for a cluster whose only family is IPv4. */
function initIPFamilyFields(svc: Service, before: Service | undefined): void {
  const spec = svc.spec;
  if (!needsClusterIP(svc)) return;
  const headlessSelectorless = spec.clusterIP === CLUSTER_IP_NONE && Object.keys(spec.selector ?? {}).length === 0;
  if (spec.ipFamilyPolicy === undefined) {
    if (before?.spec.ipFamilyPolicy !== undefined) spec.ipFamilyPolicy = before.spec.ipFamilyPolicy;
    else spec.ipFamilyPolicy = headlessSelectorless ? 'RequireDualStack' : 'SingleStack';
  }
  const families = (spec.ipFamilies ??= []);
  for (const [i, ip] of (spec.clusterIPs ?? []).entries()) {
    if (ip === CLUSTER_IP_NONE) break;
    if (i >= families.length) families.push(familyOf(ip));
  }
  if (families.length === 0) families.push('IPv4');
  if (headlessSelectorless && families.length < 2 && spec.ipFamilyPolicy !== 'SingleStack') families.push(families[0] === 'IPv4' ? 'IPv6' : 'IPv4');
}

export class ServiceAllocators {
  constructor(readonly range: ServiceIPRange) {}

  /** allocateCreate: fills the IP fields of a new Service; the refusal, or undefined. A dry run checks without reserving. */
  allocateCreate(svc: Service, dryRun = false): ServiceRefusal | undefined {
    normalizeClusterIPs(svc, undefined);
    if (!needsClusterIP(svc)) return undefined;
    initIPFamilyFields(svc, undefined);
    return this.allocClusterIPs(svc, dryRun);
  }

  /**
   * allocateUpdate with the registry's update preparation: `after` is the object as written
   * (mutated in place), `before` the stored one. Releases the address of a Service that became
   * ExternalName (not on a dry run).
   */
  allocateUpdate(before: Service, after: Service, dryRun = false): ServiceRefusal | undefined {
    const spec = after.spec;
    if (needsClusterIP(before) && !needsClusterIP(after)) {
      // dropTypeDependentFields: wipe what was allocated, unless the update itself changed it.
      if (sameList(before.spec.clusterIPs, spec.clusterIPs) && before.spec.clusterIP === spec.clusterIP) {
        delete spec.clusterIP;
        delete spec.clusterIPs;
      }
      if (sameList(before.spec.ipFamilies, spec.ipFamilies)) delete spec.ipFamilies;
      if (before.spec.ipFamilyPolicy === spec.ipFamilyPolicy) delete spec.ipFamilyPolicy;
    }
    if (needsClusterIP(before) && needsClusterIP(after)) {
      // patchAllocatedValues: an update without the allocated values keeps them.
      if (!spec.clusterIP) spec.clusterIP = before.spec.clusterIP;
      if (!spec.clusterIPs?.length && before.spec.clusterIPs) spec.clusterIPs = [...before.spec.clusterIPs];
    }
    normalizeClusterIPs(after, before);
    if (!needsClusterIP(after)) {
      if (!dryRun && needsClusterIP(before)) this.release(before);
      return undefined;
    }
    initIPFamilyFields(after, before);
    if (!needsClusterIP(before)) return this.allocClusterIPs(after, dryRun);
    // validateUpgradeDowngradeClusterIPs: the primary cluster IP is immutable.
    const was = before.spec.clusterIPs?.[0];
    if (was !== undefined && spec.clusterIPs?.[0] !== was) {
      return { reason: 'Invalid', message: `Service "${after.metadata.name}" is invalid: spec.clusterIPs[0]: Invalid value: ${goStringSlice(spec.clusterIPs)}: may not change once set` };
    }
    return undefined;
  }

  /** releaseClusterIPs, for a deleted Service. */
  release(svc: Service): void {
    if (!needsClusterIP(svc) || isHeadless(svc)) return;
    for (const ip of svc.spec.clusterIPs ?? []) this.range.release(ip);
  }

  /** allocClusterIPs: nothing for headless, the asked-for address, or the next free one. */
  private allocClusterIPs(svc: Service, dryRun: boolean): ServiceRefusal | undefined {
    const spec = svc.spec;
    if (spec.clusterIPs?.[0] === CLUSTER_IP_NONE) return undefined;
    const asked = spec.clusterIPs?.[0] ?? '';
    if (asked === '') {
      if (dryRun) return this.range.used >= this.range.max ? { reason: 'InternalError', message: `Internal error occurred: failed to allocate a serviceIP: ${ERR_FULL}` } : undefined;
      const ip = this.range.allocateNext();
      if (ip === undefined) return { reason: 'InternalError', message: `Internal error occurred: failed to allocate a serviceIP: ${ERR_FULL}` };
      spec.clusterIP = ip;
      spec.clusterIPs = [ip];
      return undefined;
    }
    const refused = dryRun ? this.range.check(asked) : this.range.allocate(asked);
    if (refused !== undefined) return invalid(svc, 'spec.clusterIPs', `failed to allocate IP ${asked}: ${refused}`);
    spec.clusterIP = asked;
    return undefined;
  }
}
