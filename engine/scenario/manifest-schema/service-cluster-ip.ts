/** Service cluster IP fields (core/v1), validated as the apiserver does before allocation. */
import { IPV4_PATTERN } from '../../network/ipv4.js';
import { errors } from '../errors.js';
import { at, type Ctx } from '../schema.js';

/**
 * The cluster IP fields as core validation checks them before any allocation
 * (ValidateService, ValidateServiceClusterIPsRelatedFields, and initIPFamilyFields' family
 * checks), for a single-stack IPv4 cluster. Whether the address is inside the service CIDR
 * and free is the allocator's question (manifests.ts at load time, the API server at run time).
 */
export function checkClusterIPFields(
  spec: { type?: string; selector?: Record<string, string>; clusterIP?: string; clusterIPs?: string[]; ipFamilies?: string[]; ipFamilyPolicy?: string },
  ctx: Ctx,
): void {
  const ip = spec.clusterIP ?? '';
  const ips = spec.clusterIPs ?? [];
  const where = (field: string) => at(ctx, field).path;
  if (spec.type === 'ExternalName') {
    if (ip !== '') throw errors.invalidValue(ctx.file, where('clusterIP'), 'no clusterIP on an ExternalName Service (the apiserver refuses: may not be set for ExternalName services)', JSON.stringify(ip));
    if (ips.length > 0) throw errors.invalidValue(ctx.file, where('clusterIPs'), 'no clusterIPs on an ExternalName Service (the apiserver refuses: may not be set for ExternalName services)', JSON.stringify(ips));
    return;
  }
  if (ip === '' && ips.length > 0) throw errors.invalidValue(ctx.file, where('clusterIPs'), 'clusterIPs only with clusterIP (the apiserver refuses: must be empty when `clusterIP` is not specified)', JSON.stringify(ips));
  if (ips.length > 0 && ips[0] !== ip) throw errors.invalidValue(ctx.file, at(at(ctx, 'clusterIPs'), 0).path, `"${ip}", the clusterIP (the apiserver refuses: first value must match \`clusterIP\`)`, JSON.stringify(ips[0]));
  if (ip !== '' && ip !== 'None' && !IPV4_PATTERN.test(ip)) {
    const v6 = ip.includes(':');
    throw errors.invalidValue(ctx.file, where('clusterIP'), v6 ? 'an IPv4 address (the apiserver refuses: IPv6 is not configured on this cluster)' : 'an IPv4 address such as 10.96.0.10, or None for a headless Service', JSON.stringify(ip));
  }
  if (ips.length > 1) throw errors.invalidValue(ctx.file, at(at(ctx, 'clusterIPs'), 1).path, 'one cluster IP (the apiserver refuses a second one: IPv6 is not configured on this cluster)', JSON.stringify(ips[1]));
  if (ip === 'None' && (spec.type === 'NodePort' || spec.type === 'LoadBalancer')) {
    throw errors.invalidValue(ctx.file, where('clusterIP'), `an address or nothing (the apiserver refuses: may not be set to 'None' for ${spec.type} services)`, '"None"');
  }
  const v6 = (spec.ipFamilies ?? []).indexOf('IPv6');
  const headlessSelectorless = ip === 'None' && Object.keys(spec.selector ?? {}).length === 0;
  if (v6 >= 0 && !headlessSelectorless) throw errors.invalidValue(ctx.file, at(at(ctx, 'ipFamilies'), v6).path, 'IPv4 (the apiserver refuses: not configured on this cluster)', '"IPv6"');
  if (spec.ipFamilyPolicy === 'RequireDualStack' && !headlessSelectorless) {
    throw errors.invalidValue(ctx.file, where('ipFamilyPolicy'), 'SingleStack or PreferDualStack (the apiserver refuses: this cluster is not configured for dual-stack services)', '"RequireDualStack"');
  }
}
