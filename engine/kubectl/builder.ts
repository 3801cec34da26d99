/**
 * Which objects a verb acts on, as cli-runtime's resource.Builder reads the arguments
 * (k8s.io/cli-runtime/pkg/resource/builder.go ResourceTypeOrNameArgs, visitorResult):
 * `TYPE NAME [NAME...]`, `TYPE/NAME [TYPE/NAME...]`, or `TYPE` with `-l SELECTOR` or `--all`
 * (every object of the type in the namespace, or in all of them with `-A`). Used by
 * `kubectl label` and `kubectl annotate`; the errors are the Builder's, at load time.
 */
import type { ClusterContext } from '../api/context.js';
import { matchesSelector } from '../api/labels.js';
import type { Kind, StoredObject } from '../api/types.js';
import { parseSelector, RESOURCE_ALIASES, RESOURCE_INFO, type Resource } from './args.js';
import { KubectlSyntaxError } from './syntax-error.js';
import type { Target } from './output.js';

export type Selection =
  | { by: 'names'; objects: { resource: Resource; name: string }[] }
  /** `-l` (pairs that must all match) or `--all` (no pairs). */
  | { by: 'selector'; resource: Resource; selector: Record<string, string> };

/** The upstream message, as kubectl prints it, in the `found` of a load-time error. */
export function kubectlSaid(found: string, message: string): string {
  return `${found} (kubectl: ${message})`;
}

function resourceWord(word: string, accepted: readonly Resource[], verb: string): Resource {
  const r = RESOURCE_ALIASES[word];
  if (r === undefined || !accepted.includes(r)) {
    throw new KubectlSyntaxError(`a resource type kubectl ${verb} supports here (${accepted.join(', ')})`, `resource "${word}"`);
  }
  return r;
}

/**
 * The checks label.go and annotate.go make before the Builder runs: -l and --all exclude each
 * other, and some resource must be named.
 */
export function validateSelectionFlags(resources: readonly string[], selector: string | undefined, all: boolean): void {
  if (all && selector !== undefined) throw new KubectlSyntaxError('-l or --all', kubectlSaid('both', 'cannot set --all and --selector at the same time'));
  if (resources.length === 0) {
    throw new KubectlSyntaxError('TYPE NAME before the changes', kubectlSaid('none', 'one or more resources must be specified as <resource> <name> or <resource>/<name>'));
  }
}

/** Result.IntoSingleItemImplied: one object named (`TYPE NAME` or `TYPE/NAME`), not a selection. */
export function singleItemImplied(s: Selection): boolean {
  return s.by === 'names' && s.objects.length === 1;
}

/**
 * `--resource-version` of label and annotate: the only version their patch may apply to, and
 * only with one resource named (label.go / annotate.go RunX: "--resource-version may only be
 * used with a single resource"). Undefined when not given.
 */
export function resourceVersionFlag(value: string | undefined, selection: Selection, resources: readonly string[]): string | undefined {
  const resourceVersion = value || undefined;
  if (resourceVersion !== undefined && !singleItemImplied(selection)) {
    throw new KubectlSyntaxError('--resource-version with one TYPE NAME', kubectlSaid(`"${resources.join(' ')}"`, '--resource-version may only be used with a single resource'));
  }
  return resourceVersion;
}

/**
 * The objects a selection names, for the loader to check against the manifests. Not checked,
 * NotFound when the command runs if missing: pods (their names are generated at run time),
 * EndpointSlices (the controller names them), PersistentVolumes (no namespace to look them up in).
 */
export function selectionReferences(s: Selection, namespace: string): Target[] {
  if (s.by !== 'names') return [];
  return s.objects
    .filter((o) => o.resource !== 'pod' && o.resource !== 'persistentvolume' && o.resource !== 'endpointslice')
    .map((o) => ({ kind: RESOURCE_INFO[o.resource].kind, namespace: RESOURCE_INFO[o.resource].namespaced ? namespace : '', name: o.name }));
}

/** ResourceTypeOrNameArgs plus the checks of visitorResult, for the resource arguments of `verb`. */
export function parseSelection(
  args: readonly string[],
  flags: { selector: string | undefined; all: boolean },
  accepted: readonly Resource[],
  verb: string,
): Selection {
  const usage = `resources as TYPE NAME or TYPE/NAME, or TYPE with -l or --all`;
  if (args.length === 0) throw new KubectlSyntaxError(usage, kubectlSaid('none', 'one or more resources must be specified as <resource> <name> or <resource>/<name>'));
  const combined = args.filter((a) => a.includes('/'));
  if (combined.length > 0) {
    // hasCombinedTypeArgs: every argument TYPE/NAME, or none.
    if (combined.length !== args.length) {
      throw new KubectlSyntaxError(
        usage,
        kubectlSaid(
          `"${args.join(' ')}"`,
          "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'",
        ),
      );
    }
    if (flags.selector !== undefined) throw new KubectlSyntaxError(usage, kubectlSaid('names and -l', 'name cannot be provided when a selector is specified'));
    return {
      by: 'names',
      objects: args.map((a) => {
        const slash = a.indexOf('/');
        const name = a.slice(slash + 1);
        if (name === '') throw new KubectlSyntaxError('a name after the slash', `"${a}"`);
        return { resource: resourceWord(a.slice(0, slash), accepted, verb), name };
      }),
    };
  }
  const [type, ...names] = args;
  if (type!.includes(',')) throw new KubectlSyntaxError(`one resource type (kubesim's kubectl ${verb} takes one)`, `"${type}"`);
  const resource = resourceWord(type!, accepted, verb);
  if (names.length > 0) {
    if (flags.selector !== undefined) throw new KubectlSyntaxError(usage, kubectlSaid('names and -l', 'name cannot be provided when a selector is specified'));
    // With names, --all is not consulted (ResourceTypeOrNameArgs).
    return { by: 'names', objects: names.map((name) => ({ resource, name })) };
  }
  if (flags.selector !== undefined) return { by: 'selector', resource, selector: parseSelector(flags.selector) };
  if (flags.all) return { by: 'selector', resource, selector: {} };
  throw new KubectlSyntaxError(usage, kubectlSaid(`"${type}" alone`, 'resource(s) were provided, but no name was specified'));
}

/** The objects of a selection now, in the order the API server lists them (namespace, then name), and the names not found. */
export function resolveSelection(
  ctx: ClusterContext,
  s: Selection,
  namespace: string,
  allNamespaces: boolean,
): { found: { resource: Resource; object: StoredObject }[]; missing: Target[] } {
  const found: { resource: Resource; object: StoredObject }[] = [];
  const missing: Target[] = [];
  if (s.by === 'names') {
    for (const { resource, name } of s.objects) {
      const { kind, namespaced } = RESOURCE_INFO[resource];
      const ns = namespaced ? namespace : '';
      const object = ctx.api.get(kind as Kind, namespaced ? namespace : undefined, name);
      if (object) found.push({ resource, object });
      else missing.push({ kind, namespace: ns, name });
    }
    return { found, missing };
  }
  const { kind, namespaced } = RESOURCE_INFO[s.resource];
  const objects = ctx.api
    .list(kind as Kind, namespaced && !allNamespaces ? namespace : undefined)
    .filter((o) => matchesSelector({ matchLabels: s.selector }, o.metadata.labels));
  const key = (o: StoredObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  objects.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  for (const object of objects) found.push({ resource: s.resource, object });
  return { found, missing };
}
