/**
 * Timeline actions are written as the kubectl command a person would type. This file turns the
 * command line into a typed command at load time, so an unsupported verb or flag is a validation
 * error, never a run-time surprise.
 *
 * Supported, with kubectl's own spellings and aliases (`kubectl api-resources`):
 *   kubectl scale deployment|deploy|deployments|deployment.apps|replicaset|rs NAME --replicas=N
 *   kubectl scale deployment/NAME --replicas N
 *   kubectl delete pod|pods|po NAME          kubectl delete pod/NAME
 *   kubectl delete pod -l app=web[,tier=x]   kubectl delete pod --selector=app=web
 * and everywhere `-n NS`, `-nNS`, `-n=NS`, `--namespace NS`, `--namespace=NS` (default `default`).
 */
import { DEFAULT_NAMESPACE } from '../api/types.js';

export type KubectlCommand =
  | { verb: 'scale'; resource: 'deployment' | 'replicaset'; name: string; namespace: string; replicas: number }
  | { verb: 'delete'; resource: 'pod'; namespace: string; name?: string; selector?: Record<string, string> };

/** What the loader reports at `spec.timeline[i].run`: expected / found, as in ScenarioError. */
export class KubectlSyntaxError extends Error {
  constructor(
    readonly expected: string,
    readonly found: string,
  ) {
    super(`expected ${expected}, found ${found}`);
    this.name = 'KubectlSyntaxError';
  }
}

export const SUPPORTED_KUBECTL = 'a supported kubectl command (scale deployment, scale replicaset, delete pod)';

const SCALE_RESOURCES: Readonly<Record<string, 'deployment' | 'replicaset'>> = {
  deployment: 'deployment',
  deployments: 'deployment',
  deploy: 'deployment',
  'deployment.apps': 'deployment',
  replicaset: 'replicaset',
  replicasets: 'replicaset',
  rs: 'replicaset',
  'replicaset.apps': 'replicaset',
};
const POD_RESOURCES = new Set(['pod', 'pods', 'po']);

/** Splits a command line as a POSIX shell would: quotes group, backslash escapes. */
export function tokenize(line: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new KubectlSyntaxError('a closing single quote', 'end of command');
      current += line.slice(i + 1, end);
      inToken = true;
      i = end;
    } else if (c === '"') {
      inToken = true;
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        // Inside double quotes a backslash escapes only these (POSIX 2.2.3).
        if (line[j] === '\\' && '"\\$`'.includes(line[j + 1] ?? '')) j++;
        current += line[j];
      }
      if (j >= line.length) throw new KubectlSyntaxError('a closing double quote', 'end of command');
      i = j;
    } else if (c === '\\' && i + 1 < line.length) {
      current += line[++i];
      inToken = true;
    } else if (/\s/.test(c)) {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
    } else {
      current += c;
      inToken = true;
    }
  }
  if (inToken) tokens.push(current);
  return tokens;
}

interface Args {
  positional: string[];
  flags: Map<string, string>;
}

/** Flags each verb accepts, by canonical name; short spellings map onto them. */
const FLAG_ALIASES: Readonly<Record<string, string>> = { n: 'namespace', l: 'selector' };
const VERB_FLAGS: Readonly<Record<string, readonly string[]>> = {
  scale: ['namespace', 'replicas'],
  delete: ['namespace', 'selector'],
};

function splitArgs(tokens: string[], verb: string): Args {
  const allowed = VERB_FLAGS[verb]!;
  const positional: string[] = [];
  const flags = new Map<string, string>();
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
      // pflag shorthand: -n ns, -nns, -n=ns
      name = FLAG_ALIASES[token[1]!] ?? token.slice(1);
      const rest = token.slice(2);
      value = rest === '' ? undefined : rest.startsWith('=') ? rest.slice(1) : rest;
    }
    if (!allowed.includes(name)) {
      throw new KubectlSyntaxError(`a flag of kubectl ${verb} (${allowed.map((f) => `--${f}`).join(', ')})`, `flag ${token}`);
    }
    if (value === undefined) {
      value = tokens[++i];
      if (value === undefined) throw new KubectlSyntaxError(`a value after ${token}`, 'end of command');
    }
    flags.set(name, value);
  }
  return { positional, flags };
}

/** `deployment/web` or `deployment web`: the resource word and the name (if any). */
function resourceAndName(positional: string[], verb: string): { resource: string; name: string | undefined } {
  const [first, ...rest] = positional;
  if (first === undefined) throw new KubectlSyntaxError(`a resource type after kubectl ${verb}`, 'nothing');
  const slash = first.indexOf('/');
  const resource = slash < 0 ? first : first.slice(0, slash);
  const names = slash < 0 ? rest : [first.slice(slash + 1), ...rest];
  if (names.length > 1) throw new KubectlSyntaxError('one object name', `extra argument "${names[1]}"`);
  if (names[0] === '') throw new KubectlSyntaxError('a name after the slash', `"${first}"`);
  return { resource, name: names[0] };
}

const LABEL_PAIR = /^([A-Za-z0-9][-A-Za-z0-9_./]*)==?([-A-Za-z0-9_.]*)$/;

/** Equality-based label selectors (`a=b,c==d`); set-based ones are not supported here. */
function parseSelector(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const m = LABEL_PAIR.exec(part.trim());
    if (!m) throw new KubectlSyntaxError('a label selector of key=value pairs separated by commas', `"${text}"`);
    out[m[1]!] = m[2]!;
  }
  return out;
}

/** Index of the verb: kubectl allows `-n NS` before it (`kubectl -n prod scale ...`). */
function findVerb(tokens: string[]): number {
  let i = 1;
  while (i < tokens.length && tokens[i]!.startsWith('-')) {
    i += tokens[i] === '-n' || tokens[i] === '--namespace' ? 2 : 1;
  }
  return i;
}

export function parseKubectl(line: string): KubectlCommand {
  const tokens = tokenize(line);
  if (tokens[0] !== 'kubectl') {
    throw new KubectlSyntaxError('a command starting with kubectl', tokens[0] === undefined ? 'an empty command' : `"${tokens[0]}"`);
  }
  const verbAt = findVerb(tokens);
  const verb = tokens[verbAt];
  if (verb === undefined) throw new KubectlSyntaxError(SUPPORTED_KUBECTL, 'no verb');
  if (!(verb in VERB_FLAGS)) throw new KubectlSyntaxError(SUPPORTED_KUBECTL, `verb "${verb}"`);
  const rest = tokens.slice(1);
  rest.splice(verbAt - 1, 1);
  const { positional, flags } = splitArgs(rest, verb);
  const namespace = flags.get('namespace') ?? DEFAULT_NAMESPACE;
  if (namespace === '') throw new KubectlSyntaxError('a namespace name', 'an empty namespace');
  const { resource, name } = resourceAndName(positional, verb);

  if (verb === 'scale') {
    const kind = SCALE_RESOURCES[resource];
    if (!kind) throw new KubectlSyntaxError('a resource kubectl scale supports here (deployment, replicaset)', `resource "${resource}"`);
    if (name === undefined) throw new KubectlSyntaxError(`the name of the ${kind} to scale`, 'nothing');
    const replicas = flags.get('replicas');
    if (replicas === undefined) throw new KubectlSyntaxError('--replicas=N', 'no --replicas flag');
    if (!/^\d+$/.test(replicas) || !Number.isSafeInteger(Number(replicas))) {
      throw new KubectlSyntaxError('--replicas with a whole number >= 0', `"${replicas}"`);
    }
    return { verb, resource: kind, name, namespace, replicas: Number(replicas) };
  }

  if (!POD_RESOURCES.has(resource)) throw new KubectlSyntaxError('a resource kubectl delete supports here (pod)', `resource "${resource}"`);
  const selectorText = flags.get('selector');
  if (selectorText !== undefined && name !== undefined) {
    throw new KubectlSyntaxError('either a pod name or a selector (-l), as kubectl requires', 'both');
  }
  if (selectorText !== undefined) return { verb: 'delete', resource: 'pod', namespace, selector: parseSelector(selectorText) };
  if (name === undefined) throw new KubectlSyntaxError('a pod name or a selector (-l key=value)', 'neither');
  return { verb: 'delete', resource: 'pod', namespace, name };
}
