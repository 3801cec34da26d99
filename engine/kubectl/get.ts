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
 * `events` (ev) lists the Events the API server keeps (engine/api/event-store.ts) in kubectl's
 * event table (tables-events.ts), unsorted as kubectl leaves them; `--field-selector` takes
 * equality terms on the fields the API server indexes for events (involvedObject.name, reason,
 * type...) and is accepted only for events.
 *
 * `--sort-by=JSONPATH` sorts each table (or the -o yaml/json list) by a field of the objects as
 * the API serves them (engine/kubectl/sort-by.ts): `--sort-by=.metadata.creationTimestamp`,
 * `kubectl get events --sort-by=.lastTimestamp`. A field no object has prints kubectl's error
 * instead of the objects.
 */
import type { ClusterContext } from '../api/context.js';
import { matchesSelector } from '../api/labels.js';
import type { CoreEvent } from '../api/event-store.js';
import type { KubeObject } from '../api/types.js';
import { parseSelector, RESOURCE_ALIASES, RESOURCE_INFO, type Resource } from './args.js';
import { apiObject, listOf, printJson, printYaml } from './object-printers.js';
import { printError, printTable } from './output.js';
import { PRINTERS, tabulate } from './tables.js';
import { EVENT_COLUMNS, EVENT_WIDE_COLUMNS, eventRow } from './tables-events.js';
import { parseSortField, sortByField, type SortField } from './sort-by.js';
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
  /** --field-selector (events only): field path → value, every one must match. */
  fieldSelector?: Record<string, string>;
  /** --sort-by: the JSONPath the tables (or the list) are sorted by. */
  sortBy?: SortField;
}

const OUTPUTS = ['wide', 'yaml', 'json'] as const;

/** The `all` category: core/v1, apps/v1, then autoscaling/v2 (batch's jobs and cronjobs kubesim has not). */
const ALL: readonly Resource[] = ['pod', 'service', 'daemonset', 'deployment', 'replicaset', 'statefulset', 'horizontalpodautoscaler'];

/** The types named in errors. */
const TYPES = 'pods, nodes, deploy, rs, sts, ds, svc, pvc, pv, hpa, pdb, ingress, endpointslices, events, all';

export const get: Verb<GetCommand> = {
  verb: 'get',
  flags: ['output', 'selector', 'all-namespaces', 'field-selector', 'sort-by'],
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
    const fieldText = flags.get('field-selector');
    // An empty --sort-by is no sorting (get.go sorts only when len(o.SortBy) > 0).
    const sortText = flags.get('sort-by') || undefined;
    if (fieldText !== undefined && resources.some((r) => r !== 'event')) {
      throw new KubectlSyntaxError('--field-selector only with kubectl get events', `--field-selector with ${resources.filter((r) => r !== 'event').join(', ')}`);
    }
    return {
      verb: 'get',
      resources,
      names: allNames,
      namespace,
      allNamespaces,
      wide: output === 'wide',
      ...((output === 'yaml' || output === 'json') && { format: output }),
      ...(selectorText !== undefined && { selector: parseSelector(selectorText) }),
      ...(fieldText !== undefined && { fieldSelector: parseEventFieldSelector(fieldText) }),
      ...(sortText !== undefined && { sortBy: parseSortField(sortText) }),
    };
  },
  // Getting what does not exist is kubectl's NotFound at run time, not a scenario error.
  references: () => [],
  run(ctx, c, line) {
    try {
      printTable(ctx, line, renderGet(ctx, c));
    } catch (e) {
      if (!(e instanceof SortError)) throw e;
      // kubectl prints the error alone and exits 1 (cmdutil.CheckErr).
      printTable(ctx, line, `error: ${e.message}`);
      printError(ctx, { kind: 'Cluster', namespace: c.namespace, name: '' }, line, `error: ${e.message}`);
    }
  },
};

/** The fields the API server can select events by (pkg/apis/core/v1 event conversion: AddFieldLabelConversionFunc). */
const EVENT_FIELDS = [
  'involvedObject.kind',
  'involvedObject.namespace',
  'involvedObject.name',
  'involvedObject.apiVersion',
  'reason',
  'type',
  'source',
  'metadata.name',
  'metadata.namespace',
] as const;

/** `--field-selector involvedObject.name=web,type=Warning`: equality terms (`=` or `==`). */
function parseEventFieldSelector(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const m = /^([A-Za-z.]+)==?(.*)$/.exec(part.trim());
    if (!m || !(EVENT_FIELDS as readonly string[]).includes(m[1]!)) {
      throw new KubectlSyntaxError(`a field selector of FIELD=VALUE terms on ${EVENT_FIELDS.join(', ')}`, `"${text}"`);
    }
    out[m[1]!] = m[2]!;
  }
  return out;
}

function eventField(e: CoreEvent, field: string): string {
  switch (field) {
    case 'involvedObject.kind':
      return e.involvedObject.kind;
    case 'involvedObject.namespace':
      return e.involvedObject.namespace ?? '';
    case 'involvedObject.name':
      return e.involvedObject.name;
    case 'involvedObject.apiVersion':
      return e.involvedObject.apiVersion ?? '';
    case 'reason':
      return e.reason;
    case 'type':
      return e.type;
    case 'source':
      return e.source.component ?? '';
    case 'metadata.name':
      return e.metadata.name;
    default:
      return e.metadata.namespace;
  }
}

function eventsOf(ctx: ClusterContext, namespace: string | undefined, fields: Record<string, string> | undefined): CoreEvent[] {
  const events = ctx.events.list(ctx.sim.now, namespace);
  if (!fields) return events;
  return events.filter((e) => Object.entries(fields).every(([f, v]) => eventField(e, f) === v));
}

/** The objects the command finds, per resource type in the order asked, and kubectl's NotFound errors for missing names. */
function findObjects(ctx: ClusterContext, c: GetCommand): { found: { resource: Resource; objects: KubeObject[] }[]; errors: string[] } {
  const found: { resource: Resource; objects: KubeObject[] }[] = [];
  const errors: string[] = [];
  for (const resource of c.resources) {
    const info = RESOURCE_INFO[resource];
    const kind = info.kind as KubeObject['kind'];
    const ns = info.namespaced && !c.allNamespaces ? c.namespace : undefined;
    let objects = resource === 'event' ? (eventsOf(ctx, ns, c.fieldSelector) as unknown as KubeObject[]) : (ctx.api.list(kind, ns) as KubeObject[]);
    if (c.selector) objects = objects.filter((o) => matchesSelector({ matchLabels: c.selector }, o.metadata.labels));
    if (c.names.length > 0) {
      const named: KubeObject[] = [];
      for (const name of c.names) {
        const o = objects.find((x) => x.metadata.name === name);
        if (o) named.push(o);
        else errors.push(`Error from server (NotFound): ${info.plural} "${name}" not found`);
      }
      objects = named;
    } else if (resource !== 'event') {
      // The API lists in key order: namespace, then name (the event store lists so already).
      objects = [...objects].sort((a, b) => (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || a.metadata.name.localeCompare(b.metadata.name));
    }
    found.push({ resource, objects });
  }
  return { found, errors };
}

/** A --sort-by failure: kubectl prints it instead of any object. */
export class SortError extends Error {}

function sorted(objects: KubeObject[], field: SortField, checkFound: boolean): KubeObject[] {
  try {
    return sortByField(objects, (o) => apiObject(o), field, checkFound);
  } catch (e) {
    throw new SortError((e as Error).message);
  }
}

/** The text `kubectl get` prints for the command, now; throws SortError when --sort-by fails. */
export function renderGet(ctx: ClusterContext, c: GetCommand): string {
  const { found, errors } = findObjects(ctx, c);
  if (c.sortBy) {
    // SortingPrinter: a table is sorted when it has more than one row; a -o yaml/json list when it has any item.
    if (c.format) {
      const all = found.flatMap((f) => f.objects);
      return renderObjects(c, all.length > 0 && !(c.resources.length === 1 && c.names.length === 1) ? sorted(all, c.sortBy, true) : all, errors);
    }
    for (const f of found) if (f.objects.length > 1) f.objects = sorted(f.objects, c.sortBy, true);
  }
  if (c.format) return renderObjects(c, found.flatMap((f) => f.objects), errors);
  const now = ctx.sim.now;
  const several = c.resources.length > 1;
  const blocks: string[] = [];
  for (const { resource, objects } of found) {
    if (objects.length === 0) continue;
    const info = RESOURCE_INFO[resource];
    if (resource === 'event') {
      const header = [...(c.allNamespaces ? ['NAMESPACE'] : []), ...(c.wide ? EVENT_WIDE_COLUMNS : EVENT_COLUMNS)];
      const rows = (objects as unknown as CoreEvent[]).map((e) => [...(c.allNamespaces ? [e.metadata.namespace] : []), ...eventRow(e, now, c.wide)]);
      blocks.push(tabulate([header, ...rows]));
      continue;
    }
    const printer = PRINTERS[resource as Exclude<Resource, 'event'>];
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
