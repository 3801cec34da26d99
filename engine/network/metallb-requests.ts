/**
 * What a Service asks of MetalLB's controller (metallb controller/service.go): a pool
 * (`metallb.io/address-pool`), addresses (`metallb.io/loadBalancerIPs`, comma-separated, or the
 * deprecated `spec.loadBalancerIP`), each annotation also under its deprecated
 * `metallb.universe.tf/` name; and the annotation the controller writes back,
 * `metallb.io/ip-allocated-from-pool`. Messages are upstream's, Go formatting included: `%q` of
 * a list prints `["a" "b"]` (internal/ipfamily for the address families).
 *
 * `metallb.io/allow-shared-ip` (IP sharing) is not modelled: every Service gets an address of its own.
 */
import { isIPv6 } from 'node:net';
import type { Service } from '../api/types.js';
import { ipToInt, IPV4_PATTERN } from './ipv4.js';

export const ANNOTATION_ADDRESS_POOL = 'metallb.io/address-pool';
export const ANNOTATION_LOAD_BALANCER_IPS = 'metallb.io/loadBalancerIPs';
export const ANNOTATION_IP_ALLOCATED_FROM_POOL = 'metallb.io/ip-allocated-from-pool';
export const DEPRECATED_ANNOTATION_PREFIX = 'metallb.universe.tf';
export const DEPRECATED_ANNOTATION_ADDRESS_POOL = `${DEPRECATED_ANNOTATION_PREFIX}/address-pool`;
export const DEPRECATED_ANNOTATION_LOAD_BALANCER_IPS = `${DEPRECATED_ANNOTATION_PREFIX}/loadBalancerIPs`;
export const DEPRECATED_ANNOTATION_IP_ALLOCATED_FROM_POOL = `${DEPRECATED_ANNOTATION_PREFIX}/ip-allocated-from-pool`;

/** internal/ipfamily Family, as upstream prints it (`no available IPs in pool "x" for ipv4 IPFamily`). */
export type IPFamilyName = 'ipv4' | 'ipv6' | 'dual';

/** A requested address as net.ParseIP reads it: its text and family; `value` the IPv4 address as a number (IPv6 is never in a kubesim pool). */
export interface RequestedIP {
  text: string;
  family: 'ipv4' | 'ipv6';
  value: number;
}

/** Go's %q of a string (strconv.Quote for printable text). */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** Go's %q of a list of strings or addresses: `["a" "b"]`. */
export function goQuoteList(items: readonly string[]): string {
  return `[${items.map(goQuote).join(' ')}]`;
}

/** controller/service.go valueForAnnotation: the stable annotation's value if present, else the deprecated one's, else "". */
export function valueForAnnotation(annotations: Readonly<Record<string, string>> | undefined, stable: string, deprecated: string): string {
  if (annotations && Object.hasOwn(annotations, stable)) return annotations[stable]!;
  if (annotations && Object.hasOwn(annotations, deprecated)) return annotations[deprecated]!;
  return '';
}

/** The pool the Service asks for (`metallb.io/address-pool`), "" for none. */
export function desiredPool(svc: Service): string {
  return valueForAnnotation(svc.metadata.annotations, ANNOTATION_ADDRESS_POOL, DEPRECATED_ANNOTATION_ADDRESS_POOL);
}

/**
 * net.ParseIP for kubesim: dotted-quad IPv4 (Go refuses leading zeros, as IPV4_PATTERN does), an
 * IPv4-mapped IPv6 address (To4() makes it IPv4), or any other IPv6 address; undefined otherwise.
 */
export function parseIP(text: string): RequestedIP | undefined {
  if (IPV4_PATTERN.test(text)) return { text, family: 'ipv4', value: ipToInt(text) };
  if (!isIPv6(text)) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text);
  if (mapped && IPV4_PATTERN.test(mapped[1]!)) return { text: mapped[1]!, family: 'ipv4', value: ipToInt(mapped[1]!) };
  return { text, family: 'ipv6', value: -1 };
}

/** internal/ipfamily ForAddressesIPs: one address its family, two of different families dual, anything else an error. */
export function addressFamily(ips: readonly RequestedIP[]): IPFamilyName | { error: string } {
  const list = goQuoteList(ips.map((ip) => ip.text));
  if (ips.length === 1) return ips[0]!.family;
  if (ips.length === 2) return ips[0]!.family === ips[1]!.family ? { error: `IPFamilyForAddresses: same address family ${list}` } : 'dual';
  return { error: `IPFamilyForAddresses: invalid ips length ${ips.length} ${list}` };
}

/**
 * controller/service.go getDesiredLbIPs: the addresses the Service requests and their family,
 * none (an empty list) when it requests none, or upstream's error for an invalid request.
 */
export function desiredLbIPs(svc: Service): { ips: RequestedIP[]; family?: IPFamilyName } | { error: string } {
  const annotation = valueForAnnotation(svc.metadata.annotations, ANNOTATION_LOAD_BALANCER_IPS, DEPRECATED_ANNOTATION_LOAD_BALANCER_IPS);
  const specIP = typeof svc.spec.loadBalancerIP === 'string' ? svc.spec.loadBalancerIP : '';
  if (annotation === '' && specIP === '') return { ips: [] };
  if (annotation !== '' && specIP !== '') return { error: `service can not have both ${ANNOTATION_LOAD_BALANCER_IPS} and svc.Spec.LoadBalancerIP` };
  if (annotation !== '') {
    const ips: RequestedIP[] = [];
    for (const part of annotation.split(',')) {
      const ip = parseIP(part.trim());
      if (!ip) return { error: `invalid ${ANNOTATION_LOAD_BALANCER_IPS}: ${goQuote(annotation)}` };
      ips.push(ip);
    }
    const family = addressFamily(ips);
    return typeof family === 'string' ? { ips, family } : family;
  }
  const ip = parseIP(specIP);
  if (!ip) return { error: `invalid spec.loadBalancerIP ${goQuote(specIP)}` };
  return { ips: [ip], family: ip.family };
}

/**
 * internal/ipfamily ForService: the family of the Service's cluster IPs. kubesim's clusters are
 * IPv4 single-stack (engine/api/service-alloc.ts), so every Service with a cluster IP is ipv4.
 */
export function serviceFamily(svc: Service): IPFamilyName | undefined {
  const ips = svc.spec.clusterIPs?.length ? svc.spec.clusterIPs : svc.spec.clusterIP ? [svc.spec.clusterIP] : [];
  if (ips.length === 0 || ips[0] === 'None') return undefined;
  return ips.length === 2 ? 'dual' : ips[0]!.includes(':') ? 'ipv6' : 'ipv4';
}
