/**
 * `kubectl taint nodes NAME... KEY[=VALUE]:EFFECT... KEY[:EFFECT]-... [--overwrite]` (or
 * `nodes -l SELECTOR` / `nodes --all`), as staging/src/k8s.io/kubectl/pkg/cmd/taint/taint.go
 * does it: the arguments are checked before anything is sent (taint-utils.go's rules, here at
 * load time); per node, a taint whose key and effect the node already has needs --overwrite,
 * removing a taint the node does not have is an error, and otherwise the node's spec.taints
 * becomes the new list and kubectl prints `node/NAME tainted|untainted|modified`.
 *
 * What reacts is whoever watches Nodes: the scheduler (TaintToleration), the taint eviction
 * controller (NoExecute: pods that do not tolerate the taint are deleted, after their
 * tolerationSeconds if they set one; removing it in time cancels), the DaemonSet controller
 * (daemon pods follow the DaemonSet's tolerations), and the cloud service controller
 * (ToBeDeletedByClusterAutoscaler takes a node out of load balancers).
 */
import { canonicalJson } from '../api/names.js';
import type { Node } from '../api/types.js';
import { boolFlag, RESOURCE_ALIASES, parseSelector } from './args.js';
import { kubectlSaid } from './builder.js';
import { matchesSelector } from '../api/labels.js';
import { notFound, print, printError, type Target } from './output.js';
import { KubectlSyntaxError } from './syntax-error.js';
import { checkIfTaintsAlreadyExists, conflictingTaints, parseTaints, reorganizeTaints, type TaintSpec } from './taint-utils.js';
import type { Verb } from './verb.js';

export interface TaintCommand {
  verb: 'taint';
  /** Node names; empty with a selector or --all. */
  nodes: string[];
  /** `-l` pairs, or {} for --all; undefined when nodes are named. */
  selector?: Record<string, string>;
  add: TaintSpec[];
  remove: TaintSpec[];
  overwrite: boolean;
}

const USAGE = 'kubectl taint nodes NAME... KEY[=VALUE]:EFFECT... or KEY[:EFFECT]-';

export const taint: Verb<TaintCommand> = {
  verb: 'taint',
  flags: ['overwrite', 'selector', 'all'],
  parse({ positional, flags }) {
    // Complete: resources first; an argument with '=' or ':' or a trailing '-' is a taint.
    const resources: string[] = [];
    const taintArgs: string[] = [];
    for (const s of positional) {
      const isTaint = s.includes('=') || s.includes(':') || s.endsWith('-');
      if (isTaint) taintArgs.push(s);
      else if (taintArgs.length > 0) throw new KubectlSyntaxError(USAGE, kubectlSaid(`"${s}"`, `all resources must be specified before taint changes: ${s}`));
      else resources.push(s);
    }
    if (resources.length < 1) throw new KubectlSyntaxError(USAGE, kubectlSaid('no resource', 'one or more resources must be specified as <resource> <name>'));
    if (taintArgs.length < 1) throw new KubectlSyntaxError(USAGE, kubectlSaid('no taint', 'at least one taint update is required'));
    const parsed = parseTaints(taintArgs);
    if ('error' in parsed) throw new KubectlSyntaxError('taints KEY[=VALUE]:EFFECT (NoSchedule, PreferNoSchedule, NoExecute) or KEY[:EFFECT]-', kubectlSaid(`"${taintArgs.join(' ')}"`, parsed.error));
    // Validate: the resource type must name Nodes.
    const type = resources[0]!.toLowerCase();
    if (type.includes('/')) throw new KubectlSyntaxError(USAGE, kubectlSaid(`"${resources[0]}"`, `the server doesn't have a resource type "${type}"`));
    if (RESOURCE_ALIASES[type] !== 'node') throw new KubectlSyntaxError(USAGE, kubectlSaid(`"${resources[0]}"`, `invalid resource type ${type}, only node types are supported`));
    const conflict = conflictingTaints(parsed.add, parsed.remove);
    if (conflict) throw new KubectlSyntaxError('each taint either added or removed', kubectlSaid(`"${taintArgs.join(' ')}"`, conflict));
    const selectorText = flags.get('selector');
    const all = boolFlag(flags.get('all'), 'all');
    // validateFlags.
    if (all && selectorText !== undefined) throw new KubectlSyntaxError('-l or --all', kubectlSaid('both', "setting 'all' parameter with a non empty selector is prohibited"));
    if (!all && selectorText === undefined && resources.length < 2) {
      throw new KubectlSyntaxError(USAGE, kubectlSaid('no node name', "at least one resource name must be specified since 'all' parameter is not set"));
    }
    // With -l or --all, names are not consulted (Complete adds ResourceNames only without them).
    const byName = !all && selectorText === undefined;
    return {
      verb: 'taint',
      nodes: byName ? resources.slice(1) : [],
      ...(!byName && { selector: selectorText === undefined ? {} : parseSelector(selectorText) }),
      add: parsed.add,
      remove: parsed.remove,
      overwrite: boolFlag(flags.get('overwrite'), 'overwrite'),
    };
  },
  references: (c) => c.nodes.map((name) => ({ kind: 'Node', namespace: '', name })),
  run(ctx, c, line) {
    let nodes: Node[];
    const missing: string[] = [];
    if (c.selector === undefined) {
      nodes = [];
      for (const name of c.nodes) {
        const n = ctx.api.get('Node', undefined, name);
        if (n) nodes.push(n);
        else missing.push(name);
      }
    } else {
      const selector = { matchLabels: c.selector };
      // In the order the API server lists them: by name.
      nodes = ctx.api
        .list('Node')
        .filter((n) => matchesSelector(selector, n.metadata.labels))
        .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
    }
    for (const node of nodes) taintNode(ctx, node, c, line);
    for (const name of missing) notFound(ctx, { kind: 'Node', namespace: '', name }, line);
  },
};

/** updateTaints, then the patch of spec.taints (the whole list: it has no merge key). */
function taintNode(ctx: Parameters<typeof taint.run>[0], node: Node, c: TaintCommand, line: string): void {
  const name = node.metadata.name;
  const target: Target = { kind: 'Node', namespace: '', name };
  const old = node.spec.taints ?? [];
  if (!c.overwrite) {
    const exists = checkIfTaintsAlreadyExists(old, c.add);
    if (exists) return printError(ctx, target, line, `error: node ${name} already has ${exists} taint(s) with same effect(s) and --overwrite is false`);
  }
  const { operation, taints, error } = reorganizeTaints(old, c.overwrite, c.add, c.remove);
  if (error !== undefined) return printError(ctx, target, line, `error: ${error}`);
  if (canonicalJson(taints) !== canonicalJson(old)) {
    ctx.api.update('Node', undefined, name, (n) => {
      if (taints.length) n.spec.taints = taints.map((t) => ({ ...t }));
      else delete n.spec.taints;
    });
  }
  print(ctx, target, line, `node/${name} ${operation}`);
}
