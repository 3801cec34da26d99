/**
 * kubectl's argument conventions (pflag): `--flag=value`, `--flag value`, `-n ns`, `-nns`,
 * `-n=ns`; `TYPE NAME` or `TYPE/NAME`; equality-based label selectors. Each verb declares the
 * flags it accepts; any other flag is an error naming the ones it would take.
 */
import { KubectlSyntaxError } from './syntax-error.js';

export interface Args {
  positional: string[];
  /** The last value of each flag, as pflag keeps for a plain flag. */
  flags: Map<string, string>;
  /** Every value of each flag, in order (for string-array flags such as --image). */
  repeated?: Map<string, string[]>;
}

/** Flags whose presence alone means true (`--overwrite`), as pflag bool flags. */
const BOOLEAN_FLAGS = new Set(['overwrite', 'ignore-daemonsets', 'delete-emptydir-data', 'force', 'watch', 'all-namespaces', 'disable-eviction', 'all']);
const FLAG_ALIASES: Readonly<Record<string, string>> = { n: 'namespace', l: 'selector', w: 'watch', A: 'all-namespaces', o: 'output', p: 'patch', f: 'filename' };

export function splitArgs(tokens: readonly string[], verb: string, allowed: readonly string[]): Args {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  const repeated = new Map<string, string[]>();
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (!token.startsWith('-') || token === '-') {
      positional.push(token);
      continue;
    }
    let name: string;
    let value: string | undefined;
    if (token.startsWith('--')) {
      const eq = token.indexOf('=');
      name = eq < 0 ? token.slice(2) : token.slice(2, eq);
      value = eq < 0 ? undefined : token.slice(eq + 1);
    } else {
      name = FLAG_ALIASES[token[1]!] ?? token.slice(1);
      const rest = token.slice(2);
      value = rest === '' ? undefined : rest.startsWith('=') ? rest.slice(1) : rest;
    }
    if (!allowed.includes(name)) {
      const list = allowed.length ? allowed.map((f) => `--${f}`).join(', ') : 'none';
      throw new KubectlSyntaxError(`a flag of kubectl ${verb} (${list})`, `flag ${token}`);
    }
    if (value === undefined) {
      if (BOOLEAN_FLAGS.has(name)) value = 'true';
      else {
        value = tokens[++i];
        if (value === undefined) throw new KubectlSyntaxError(`a value after ${token}`, 'end of command');
      }
    }
    flags.set(name, value);
    repeated.set(name, [...(repeated.get(name) ?? []), value]);
  }
  return { positional, flags, repeated };
}

/** `deployment/web` or `deployment web`: the resource word and the name (if any). */
export function resourceAndName(positional: readonly string[], verb: string): { resource: string; name: string | undefined; rest: string[] } {
  const [first, ...rest] = positional;
  if (first === undefined) throw new KubectlSyntaxError(`a resource type after kubectl ${verb}`, 'nothing');
  const slash = first.indexOf('/');
  if (slash < 0) {
    const [name, ...more] = rest;
    return { resource: first, name, rest: more };
  }
  const name = first.slice(slash + 1);
  if (name === '') throw new KubectlSyntaxError('a name after the slash', `"${first}"`);
  return { resource: first.slice(0, slash), name, rest };
}

/** A boolean flag's value as pflag reads it: absent is false, `--flag` true, `--flag=true|false`. */
export function boolFlag(value: string | undefined, flag: string): boolean {
  if (value === undefined) return false;
  if (value !== 'true' && value !== 'false') throw new KubectlSyntaxError(`--${flag} or --${flag}=true|false`, `"${value}"`);
  return value === 'true';
}

/** Refuses arguments beyond what a verb takes. */
export function noMoreArguments(rest: readonly string[]): void {
  if (rest.length > 0) throw new KubectlSyntaxError('one object name', `extra argument "${rest[0]}"`);
}

const LABEL_PAIR = /^([A-Za-z0-9][-A-Za-z0-9_./]*)==?([-A-Za-z0-9_.]*)$/;

/** Equality-based label selectors (`a=b,c==d`); set-based ones are not supported here. */
export function parseSelector(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const m = LABEL_PAIR.exec(part.trim());
    if (!m) throw new KubectlSyntaxError('a label selector of key=value pairs separated by commas', `"${text}"`);
    out[m[1]!] = m[2]!;
  }
  return out;
}

export type Resource = 'deployment' | 'replicaset' | 'pod' | 'statefulset' | 'daemonset' | 'service' | 'node' | 'persistentvolumeclaim' | 'persistentvolume' | 'horizontalpodautoscaler' | 'poddisruptionbudget' | 'ingress' | 'endpointslice' | 'event';

/** kubectl's resource words (`kubectl api-resources` short names and plurals). */
export const RESOURCE_ALIASES: Readonly<Record<string, Resource>> = {
  deployment: 'deployment',
  deployments: 'deployment',
  deploy: 'deployment',
  'deployment.apps': 'deployment',
  replicaset: 'replicaset',
  replicasets: 'replicaset',
  rs: 'replicaset',
  'replicaset.apps': 'replicaset',
  pod: 'pod',
  pods: 'pod',
  po: 'pod',
  statefulset: 'statefulset',
  statefulsets: 'statefulset',
  sts: 'statefulset',
  'statefulset.apps': 'statefulset',
  daemonset: 'daemonset',
  daemonsets: 'daemonset',
  ds: 'daemonset',
  'daemonset.apps': 'daemonset',
  service: 'service',
  services: 'service',
  svc: 'service',
  node: 'node',
  nodes: 'node',
  no: 'node',
  persistentvolumeclaim: 'persistentvolumeclaim',
  persistentvolumeclaims: 'persistentvolumeclaim',
  pvc: 'persistentvolumeclaim',
  persistentvolume: 'persistentvolume',
  persistentvolumes: 'persistentvolume',
  pv: 'persistentvolume',
  horizontalpodautoscaler: 'horizontalpodautoscaler',
  horizontalpodautoscalers: 'horizontalpodautoscaler',
  hpa: 'horizontalpodautoscaler',
  'horizontalpodautoscaler.autoscaling': 'horizontalpodautoscaler',
  poddisruptionbudget: 'poddisruptionbudget',
  poddisruptionbudgets: 'poddisruptionbudget',
  pdb: 'poddisruptionbudget',
  'poddisruptionbudget.policy': 'poddisruptionbudget',
  ingress: 'ingress',
  ingresses: 'ingress',
  ing: 'ingress',
  'ingress.networking.k8s.io': 'ingress',
  endpointslice: 'endpointslice',
  endpointslices: 'endpointslice',
  'endpointslice.discovery.k8s.io': 'endpointslice',
  event: 'event',
  events: 'event',
  ev: 'event',
};

/** Per resource: the API kind, how kubectl prints `TYPE/NAME`, and the plural of NotFound errors. */
export const RESOURCE_INFO: Readonly<Record<Resource, { kind: string; printed: string; plural: string; namespaced: boolean }>> = {
  deployment: { kind: 'Deployment', printed: 'deployment.apps', plural: 'deployments.apps', namespaced: true },
  replicaset: { kind: 'ReplicaSet', printed: 'replicaset.apps', plural: 'replicasets.apps', namespaced: true },
  statefulset: { kind: 'StatefulSet', printed: 'statefulset.apps', plural: 'statefulsets.apps', namespaced: true },
  daemonset: { kind: 'DaemonSet', printed: 'daemonset.apps', plural: 'daemonsets.apps', namespaced: true },
  pod: { kind: 'Pod', printed: 'pod', plural: 'pods', namespaced: true },
  service: { kind: 'Service', printed: 'service', plural: 'services', namespaced: true },
  node: { kind: 'Node', printed: 'node', plural: 'nodes', namespaced: false },
  persistentvolumeclaim: { kind: 'PersistentVolumeClaim', printed: 'persistentvolumeclaim', plural: 'persistentvolumeclaims', namespaced: true },
  persistentvolume: { kind: 'PersistentVolume', printed: 'persistentvolume', plural: 'persistentvolumes', namespaced: false },
  horizontalpodautoscaler: { kind: 'HorizontalPodAutoscaler', printed: 'horizontalpodautoscaler.autoscaling', plural: 'horizontalpodautoscalers.autoscaling', namespaced: true },
  poddisruptionbudget: { kind: 'PodDisruptionBudget', printed: 'poddisruptionbudget.policy', plural: 'poddisruptionbudgets.policy', namespaced: true },
  ingress: { kind: 'Ingress', printed: 'ingress.networking.k8s.io', plural: 'ingresses.networking.k8s.io', namespaced: true },
  endpointslice: { kind: 'EndpointSlice', printed: 'endpointslice.discovery.k8s.io', plural: 'endpointslices.discovery.k8s.io', namespaced: true },
  event: { kind: 'Event', printed: 'event', plural: 'events', namespaced: true },
};

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** An object name the API server would accept (RFC 1123 subdomain, at most 253 characters). */
export function objectName(name: string, what: string): string {
  if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) throw new KubectlSyntaxError(`${what} made of lower-case letters, digits, '-' and '.'`, `"${name}"`);
  return name;
}

/** A port number flag (1-65535). */
export function portNumber(value: string, flag: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 65535) throw new KubectlSyntaxError(`${flag} with a port number from 1 to 65535`, `"${value}"`);
  return n;
}

/** The canonical resource of `word` if it is one of `accepted`, else a syntax error naming them. */
export function resourceOf<R extends string>(word: string, accepted: readonly R[], verb: string): R {
  const canonical = RESOURCE_ALIASES[word] as R | undefined;
  if (canonical === undefined || !accepted.includes(canonical)) {
    throw new KubectlSyntaxError(`a resource kubectl ${verb} supports here (${accepted.join(', ')})`, `resource "${word}"`);
  }
  return canonical;
}

export function requireName(name: string | undefined, what: string): string {
  if (name === undefined) throw new KubectlSyntaxError(what, 'nothing');
  return name;
}

export function nonNegativeInt(value: string, flag: string): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw new KubectlSyntaxError(`${flag} with a whole number >= 0`, `"${value}"`);
  return Number(value);
}
