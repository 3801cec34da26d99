/**
 * `kubectl get ingress` and `kubectl get endpointslices`: kubectl's printers for
 * networking.k8s.io/v1 Ingress and discovery.k8s.io/v1 EndpointSlice
 * (pkg/printers/internalversion/printers.go: printIngress with formatHosts, formatPorts and
 * ingressLoadBalancerStatusStringer; printEndpointSlice with formatDiscoveryPorts,
 * formatDiscoveryEndpoints and listWithMoreString).
 */
import type { EndpointSlice, Ingress } from '../api/types.js';
import { humanDuration } from './age.js';
import type { Printer } from './tables.js';

/** formatHosts, formatDiscoveryPorts, formatDiscoveryEndpoints: at most three items, then `+ N more...`. */
const LIST_SHOWN = 3;

/** formatHosts: the rules' hosts (a rule without one is skipped but counted), `*` when none has one. */
export function formatHosts(rules: readonly { host?: string }[]): string {
  const list: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (list.length === LIST_SHOWN) more = true;
    if (!more && rule.host) list.push(rule.host);
  }
  if (list.length === 0) return '*';
  // Upstream counts the rules, not the hosts, beyond the three shown.
  return more ? `${list.join(',')} + ${rules.length - LIST_SHOWN} more...` : list.join(',');
}

/** An Ingress's status as the API serves it (kubesim's ingress controller writes none, as ingress-nginx without --publish-service). */
type IngressWithStatus = Ingress & {
  spec: { tls?: unknown[] };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
};

/** ingressLoadBalancerStatusStringer(status, wide=true): the IPs (else hostnames), sorted and unique, unclipped. */
function ingressAddress(ing: IngressWithStatus): string {
  const set = new Set<string>();
  for (const i of ing.status?.loadBalancer?.ingress ?? []) {
    if (i.ip) set.add(i.ip);
    else if (i.hostname) set.add(i.hostname);
  }
  return [...set].sort().join(',');
}

export const ingresses: Printer<IngressWithStatus> = {
  columns: ['CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE'],
  wide: [],
  row: (ing, now) => [
    ing.spec.ingressClassName ?? '<none>',
    formatHosts(ing.spec.rules ?? []),
    ingressAddress(ing),
    // formatPorts: 80, and 443 too when the Ingress has TLS.
    ing.spec.tls && ing.spec.tls.length > 0 ? '80, 443' : '80',
    humanDuration(now - (ing.metadata.creationTimestamp ?? 0)),
  ],
  wideRow: () => [],
};

/** listWithMoreString: comma-joined, `+ N more...` past the shown ones, `<unset>` when empty. */
function listWithMoreString(list: readonly string[], count: number): string {
  if (count > LIST_SHOWN) return `${list.join(',')} + ${count - LIST_SHOWN} more...`;
  return list.length ? list.join(',') : '<unset>';
}

/** formatDiscoveryPorts: each port's number, else its name, else `*`. */
export function formatDiscoveryPorts(ports: readonly { name?: string; port?: number }[]): string {
  const list = ports.slice(0, LIST_SHOWN).map((p) => (p.port !== undefined ? String(p.port) : (p.name ?? '*')));
  return listWithMoreString(list, ports.length);
}

/** formatDiscoveryEndpoints: every endpoint's addresses, ready or not. */
export function formatDiscoveryEndpoints(endpoints: readonly { addresses: readonly string[] }[]): string {
  const all = endpoints.flatMap((e) => e.addresses);
  return listWithMoreString(all.slice(0, LIST_SHOWN), all.length);
}

export const endpointSlices: Printer<EndpointSlice> = {
  columns: ['ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'],
  wide: [],
  row: (s, now) => [s.addressType, formatDiscoveryPorts(s.ports), formatDiscoveryEndpoints(s.endpoints), humanDuration(now - (s.metadata.creationTimestamp ?? 0))],
  wideRow: () => [],
};
