/**
 * Ingress rule matching (networking.k8s.io/v1): which backend Service port a request for
 * (host, path) goes to, as an ingress controller reads the Ingresses of its class.
 *
 * Host (networking/v1 IngressRule.host): an exact name matches that name only; a wildcard
 * `*.example.com` matches exactly one more DNS label (`foo.example.com`, not
 * `bar.foo.example.com`, not `example.com`); a rule without host matches every host. A rule
 * with a matching exact host is preferred over a wildcard one, and both over a host-less rule.
 *
 * Path (HTTPIngressPath.pathType), per https://kubernetes.io/docs/concepts/services-networking/ingress/#path-types:
 * - Exact: the URL path, case-sensitive, equal to `path`.
 * - Prefix: element-wise prefix of the URL path split by '/'; `/foo/bar` matches `/foo/bar/baz`
 *   but not `/foo/barbaz`; a trailing '/' of either side is ignored.
 * - ImplementationSpecific: left to the IngressClass. ingress-nginx treats it as a prefix
 *   (a regular-expression location only with the use-regex annotation, not modelled); here it
 *   is matched as Prefix.
 * Among the matching paths of a host the longest path wins; on equal length Exact beats Prefix
 * ("Multiple matches" in the same page). No match: the controller's default backend (ingress-nginx
 * answers 404), here `undefined`.
 */

export type PathType = 'Exact' | 'Prefix' | 'ImplementationSpecific';

export interface IngressBackendRef {
  /** Namespace of the Ingress (a backend Service is always in the Ingress's namespace). */
  namespace: string;
  service: string;
  /** Service port by number or by name. */
  port: number | string;
}

export interface IngressPathRule {
  path: string;
  pathType: PathType;
  backend: IngressBackendRef;
}

export interface IngressHostRule {
  /** Undefined: every host. */
  host?: string;
  paths: readonly IngressPathRule[];
}

/** The path's '/'-separated elements, empty ones (leading, trailing, doubled '/') dropped. */
function elements(path: string): string[] {
  return path.split('/').filter((e) => e.length > 0);
}

/** True when `rule` (of type `pathType`) matches the request path `path`. */
export function pathMatches(pathType: PathType, rule: string, path: string): boolean {
  if (pathType === 'Exact') return rule === path;
  const want = elements(rule);
  const got = elements(path);
  if (want.length > got.length) return false;
  for (let i = 0; i < want.length; i++) if (want[i] !== got[i]) return false;
  return true;
}

/** True when the rule's host (`undefined`: any) matches the request host. */
export function hostMatches(rule: string | undefined, host: string): boolean {
  if (rule === undefined || rule === '') return true;
  if (!rule.startsWith('*.')) return rule === host;
  const dot = host.indexOf('.');
  return dot > 0 && host.slice(dot + 1) === rule.slice(2);
}

/** Host specificity: exact 2, wildcard 1, none 0. */
function hostRank(rule: string | undefined): number {
  return rule === undefined || rule === '' ? 0 : rule.startsWith('*.') ? 1 : 2;
}

/**
 * The backend for a request, over all rules of the controller's Ingresses (in manifest order),
 * or undefined (default backend: 404). The most specific host wins first, then the longest
 * matching path, Exact before Prefix on equal length, then the first in order.
 */
export function routeRequest(rules: readonly IngressHostRule[], host: string, path: string): IngressBackendRef | undefined {
  let best: IngressPathRule | undefined;
  let bestHost = -1;
  let bestLength = -1;
  let bestExact = false;
  for (const r of rules) {
    if (!hostMatches(r.host, host)) continue;
    const rank = hostRank(r.host);
    if (rank < bestHost) continue;
    for (const p of r.paths) {
      if (!pathMatches(p.pathType, p.path, path)) continue;
      const exact = p.pathType === 'Exact';
      const length = elements(p.path).join('/').length;
      const better = rank > bestHost || length > bestLength || (length === bestLength && exact && !bestExact);
      if (!better) continue;
      best = p;
      bestHost = rank;
      bestLength = length;
      bestExact = exact;
    }
  }
  return best?.backend;
}
