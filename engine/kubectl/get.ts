/**
 * `kubectl get TYPE[,TYPE...] [NAME...] [-o wide|yaml|json] [-l key=value] [-A | -n NS]`: what
 * kubectl prints, written whole to `snapshots.txt` through the observer, headed by the time and
 * the command. Types: pods, nodes, deployments, replicasets, statefulsets, daemonsets, services,
 * persistentvolumeclaims, persistentvolumes, horizontalpodautoscalers, poddisruptionbudgets,
 * ingresses, endpointslices (any kubectl spelling: po, no, deploy, rs, sts, ds, svc, pvc, pv,
 * hpa, pdb, ing) and `all`: the kinds of the `all` category kubesim has (pods, services,
 * daemonsets, deployments, replicasets, statefulsets, horizontalpodautoscalers), in the order
 * API discovery lists them, as kubectl prints them. Tables are kubectl's
 * (engine/kubectl/tables.ts): with several types each
 * object is named `TYPE/NAME` and tables are separated by a blank line. `-o yaml|json` prints
 * the objects themselves (engine/kubectl/object-printers.ts), as kubectl's printGeneric does:
 * the object when one name of one type was asked for, otherwise a `kind: List` of every object
 * found (empty when none is).
 *
 * `events` is not a type here: kubesim's events go to the observer (events.csv), not to the API
 * server, so there is nothing for `get` to list.
 */
import type { ClusterContext } from '../api/context.js';
import { matchesSelector } from '../api/labels.js';
import type { KubeObject } from '../api/types.js';
import { parseSelector, RESOURCE_ALIASES, RESOURCE_INFO, type Resource } from './args.js';
import { apiObject, listOf, printJson, printYaml } from './object-printers.js';
import { printTable } from './output.js';
import { PRINTERS, tabulate } from './tables.js';
import { KubectlSyntaxError } from './syntax-error.js';
import type { Verb } from './verb.js';

export interface GetCommand {
  verb: 'get';
  resources: Resource[];
  names: string[];
  namespace: string;
  allNamespaces: boolean;
  wide: boolean;
  /** -o yaml / -o json: the objects instead of a table. */
  format?: 'yaml' | 'json';
  selector?: Record<string, string>;
}

const OUTPUTS = ['wide', 'yaml', 'json'] as const;

/** The `all` category: core/v1, apps/v1, then autoscaling/v2 (batch's jobs and cronjobs kubesim has not). */
const ALL: readonly Resource[] = ['pod', 'service', 'daemonset', 'deployment', 'replicaset', 'statefulset', 'horizontalpodautoscaler'];

/** The types named in errors. */
const TYPES = 'pods, nodes, deploy, rs, sts, ds, svc, pvc, pv, hpa, pdb, ingress, endpointslices, all';

export const get: Verb<GetCommand> = {
  verb: 'get',
  flags: ['output', 'selector', 'all-namespaces'],
  parse({ positional, flags }, namespace) {
    const [types, ...names] = positional;
    if (types === undefined) throw new KubectlSyntaxError(`a resource type after kubectl get (${TYPES})`, 'nothing');
    let resources: Resource[] = [];
    let words = types.split(',');
    let inlineName: string | undefined;
    if (words.length === 1 && types.includes('/')) {
      const slash = types.indexOf('/');
      inlineName = types.slice(slash + 1);
      words = [types.slice(0, slash)];
    }
    for (const word of words) {
      if (word === 'all') resources.push(...ALL);
      else {
        const r = RESOURCE_ALIASES[word];
        if (r === undefined) throw new KubectlSyntaxError(`a resource type kubectl get supports here (${TYPES})`, `resource "${word}"`);
        resources.push(r);
      }
    }
    resources = [...new Set(resources)];
    const allNames = inlineName !== undefined ? [inlineName, ...names] : names;
    if (allNames.length > 0 && resources.length > 1) throw new KubectlSyntaxError('names only with one resource type (kubectl get TYPE NAME...)', `${resources.length} types and names`);
    const output = flags.get('output');
    if (output !== undefined && !OUTPUTS.includes(output as (typeof OUTPUTS)[number])) {
      throw new KubectlSyntaxError('-o wide, -o yaml or -o json (other output formats are not supported)', `-o ${output}`);
    }
    const allNamespaces = (flags.get('all-namespaces') ?? 'false') === 'true';
    const selectorText = flags.get('selector');
    return {
      verb: 'get',
      resources,
      names: allNames,
      namespace,
      allNamespaces,
      wide: output === 'wide',
      ...((output === 'yaml' || output === 'json') && { format: output }),
      ...(selectorText !== undefined && { selector: parseSelector(selectorText) }),
    };
  },
  // Getting what does not exist is kubectl's NotFound at run time, not a scenario error.
  references: () => [],
  run(ctx, c, line) {
    printTable(ctx, line, renderGet(ctx, c));
  },
};

/** The objects the command finds, per resource type in the order asked, and kubectl's NotFound errors for missing names. */
function findObjects(ctx: ClusterContext, c: GetCommand): { found: { resource: Resource; objects: KubeObject[] }[]; errors: string[] } {
  const found: { resource: Resource; objects: KubeObject[] }[] = [];
  const errors: string[] = [];
  for (const resource of c.resources) {
    const info = RESOURCE_INFO[resource];
    const kind = info.kind as KubeObject['kind'];
    const ns = info.namespaced && !c.allNamespaces ? c.namespace : undefined;
    let objects = ctx.api.list(kind, ns) as KubeObject[];
    if (c.selector) objects = objects.filter((o) => matchesSelector({ matchLabels: c.selector }, o.metadata.labels));
    if (c.names.length > 0) {
      const named: KubeObject[] = [];
      for (const name of c.names) {
        const o = objects.find((x) => x.metadata.name === name);
        if (o) named.push(o);
        else errors.push(`Error from server (NotFound): ${info.plural} "${name}" not found`);
      }
      objects = named;
    } else {
      // The API lists in key order: namespace, then name.
      objects = [...objects].sort((a, b) => (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || a.metadata.name.localeCompare(b.metadata.name));
    }
    found.push({ resource, objects });
  }
  return { found, errors };
}

/** The text `kubectl get` prints for the command, now. */
export function renderGet(ctx: ClusterContext, c: GetCommand): string {
  const { found, errors } = findObjects(ctx, c);
  if (c.format) return renderObjects(c, found.flatMap((f) => f.objects), errors);
  const now = ctx.sim.now;
  const several = c.resources.length > 1;
  const blocks: string[] = [];
  for (const { resource, objects } of found) {
    if (objects.length === 0) continue;
    const info = RESOURCE_INFO[resource];
    const printer = PRINTERS[resource];
    const nsColumn = c.allNamespaces && info.namespaced;
    const header = [...(nsColumn ? ['NAMESPACE'] : []), 'NAME', ...printer.columns, ...(c.wide ? printer.wide : [])];
    const rows = objects.map((o) => [
      ...(nsColumn ? [o.metadata.namespace ?? ''] : []),
      several ? `${info.printed}/${o.metadata.name}` : o.metadata.name,
      ...printer.row(o, now, c.wide),
      ...(c.wide ? printer.wideRow(o, now) : []),
    ]);
    blocks.push(tabulate([header, ...rows]));
  }
  if (blocks.length === 0 && errors.length === 0) {
    const namespaced = c.resources.some((r) => RESOURCE_INFO[r].namespaced);
    return namespaced && !c.allNamespaces ? `No resources found in ${c.namespace} namespace.` : 'No resources found';
  }
  return [blocks.join('\n\n'), ...errors].filter((s) => s !== '').join('\n');
}

/**
 * printGeneric: one name of one type is the object itself (or only its NotFound error);
 * anything else is a List of what was found, then the errors kubectl writes to stderr.
 */
function renderObjects(c: GetCommand, objects: readonly KubeObject[], errors: readonly string[]): string {
  const print = c.format === 'json' ? printJson : printYaml;
  const singleItemImplied = c.resources.length === 1 && c.names.length === 1;
  if (singleItemImplied && objects.length === 0) return errors.join('\n');
  const value = singleItemImplied ? apiObject(objects[0]) : listOf(objects.map((o) => apiObject(o)));
  return [print(value).replace(/\n$/, ''), ...errors].join('\n');
}
