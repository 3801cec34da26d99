/**
 * What `kubectl label` and `kubectl annotate` share: a string map of an object's metadata
 * (labels or annotations) changed by KEY=VALUE and KEY- arguments, set first, then removed
 * (label.go labelFunc, annotate.go updateAnnotations); the API server's check of its keys,
 * known at load time (ValidateLabels: IsQualifiedName; ValidateAnnotations: IsQualifiedName of
 * the lower-cased key, k8s.io/apimachinery/pkg/api/validation/objectmeta.go); and the merge
 * patch `{"metadata":{"labels|annotations":{...}}}` that writes the change.
 */
import type { ClusterContext } from '../api/context.js';
import type { WriteResult } from '../api/store.js';
import type { Labels, StoredObject } from '../api/types.js';
import { writeErrorText } from '../api/status-error.js';
import { isLabelKey } from '../api/validation.js';
import { boolFlag, RESOURCE_INFO, type Resource } from './args.js';
import { kubectlSaid, parseSelection, resolveSelection, resourceVersionFlag, type Selection } from './builder.js';
import { notFound, print, printError, type Target } from './output.js';
import { KubectlSyntaxError } from './syntax-error.js';

export type MetadataMap = 'labels' | 'annotations';

/** The map after the change (a new object; the input is not changed). */
export function applyMapChanges(map: Labels | undefined, set: ReadonlyMap<string, string>, remove: readonly string[]): Labels {
  const next: Labels = { ...(map ?? {}) };
  for (const [key, value] of set) next[key] = value;
  for (const key of remove) delete next[key];
  return next;
}

/** Same keys and values (no map and an empty one are the same: JSON omits both). */
export function sameMap(a: Labels | undefined, b: Labels | undefined): boolean {
  const x = a ?? {};
  const y = b ?? {};
  const keys = Object.keys(x);
  return keys.length === Object.keys(y).length && keys.every((k) => Object.hasOwn(y, k) && y[k] === x[k]);
}

/** The API server's refusal of a key, as a load-time error: the command could never succeed. */
export function refuseInvalidKeys(keys: Iterable<string>, field: MetadataMap): void {
  for (const key of keys) {
    const errs = isLabelKey(field === 'annotations' ? key.toLowerCase() : key);
    if (errs.length === 0) continue;
    const what = field === 'labels' ? 'a label key' : 'an annotation key';
    throw new KubectlSyntaxError(`${what} (an optional DNS subdomain prefix and /, then a name)`, kubectlSaid(`"${key}"`, `metadata.${field}: Invalid value: ${JSON.stringify(key)}: ${errs.join('; ')}`));
  }
}

/**
 * The merge patch, applied to the object as it is when the write commits (a no-op when it
 * changes nothing). With `resourceVersion` the patch carries metadata.resourceVersion, so the
 * API server applies it only to that version and answers Conflict otherwise.
 */
export function patchMetadataMap(
  ctx: ClusterContext,
  object: StoredObject,
  field: MetadataMap,
  set: ReadonlyMap<string, string>,
  remove: readonly string[],
  resourceVersion?: string,
  done?: (result: WriteResult) => void,
): void {
  const { kind, metadata } = object;
  ctx.api.update(
    kind,
    metadata.namespace,
    metadata.name,
    (o) => {
      const before = o.metadata[field] as Labels | undefined;
      const next = applyMapChanges(before, set, remove);
      if (sameMap(before, next)) return false;
      // A new map, never an edit in place: components that keep the old one compare it with the new.
      o.metadata[field] = next;
    },
    done,
    resourceVersion,
  );
}

/** What `kubectl label` and `kubectl annotate` both carry. */
export interface MetadataMapCommand {
  namespace: string;
  allNamespaces: boolean;
  selection: Selection;
  /** Keys to set, in the command's order. */
  set: [string, string][];
  remove: string[];
  overwrite: boolean;
  /** --resource-version: the only version the patch may apply to. */
  resourceVersion?: string;
}

/**
 * The end of both parses, after each command's own checks, in the order kubectl meets them: the
 * Builder's selection among `kinds`, the single-resource rule of --resource-version, then the
 * API server's check of the keys (ValidateLabels / ValidateAnnotations, known now: the command
 * would be refused), and the flags both take.
 */
export function metadataMapCommand(
  args: { resources: readonly string[]; selector: string | undefined; all: boolean; flags: ReadonlyMap<string, string> },
  changes: { set: ReadonlyMap<string, string>; remove: string[] },
  target: { kinds: readonly Resource[]; verb: string; field: MetadataMap },
  namespace: string,
): MetadataMapCommand {
  const { resources, selector, all, flags } = args;
  const selection = parseSelection(resources, { selector, all }, target.kinds, target.verb);
  const resourceVersion = resourceVersionFlag(flags.get('resource-version'), selection, resources);
  refuseInvalidKeys(changes.set.keys(), target.field);
  return {
    namespace,
    allNamespaces: boolFlag(flags.get('all-namespaces'), 'all-namespaces'),
    selection,
    set: [...changes.set],
    remove: changes.remove,
    overwrite: boolFlag(flags.get('overwrite'), 'overwrite'),
    ...(resourceVersion !== undefined && { resourceVersion }),
  };
}

/**
 * Both runs: for each selected object, `decide` (given the object, the target and its printed
 * type) refuses it with an error line, or names the line to print; the write and the line then
 * go as `writeMetadataChange` says. The Builder's NotFound errors come after what it could visit
 * (ContinueOnError).
 */
export function runMetadataMapCommand(
  ctx: ClusterContext,
  c: MetadataMapCommand,
  line: string,
  field: MetadataMap,
  decide: (object: StoredObject, target: Target, printed: string) => { refused: string } | { message: string },
): void {
  const { found, missing } = resolveSelection(ctx, c.selection, c.namespace, c.allNamespaces);
  const set = new Map(c.set);
  for (const { resource, object } of found) {
    const { kind, printed, plural } = RESOURCE_INFO[resource];
    const meta = object.metadata;
    const target: Target = { kind, namespace: meta.namespace ?? '', name: meta.name };
    const decision = decide(object, target, printed);
    if ('refused' in decision) {
      printError(ctx, target, line, `error: ${decision.refused}`);
      continue;
    }
    writeMetadataChange(ctx, object, field, { set, remove: c.remove, resourceVersion: c.resourceVersion }, { target, line, message: decision.message, plural });
  }
  for (const target of missing) notFound(ctx, target, line);
}

/**
 * The write and the line for one object. Without --resource-version: the patch only when
 * something changes (an empty merge patch changes nothing at the API server) and the line at
 * once. With it: the patch always (it carries the version to check) and the line once the API
 * server answered, or its Conflict.
 */
function writeMetadataChange(
  ctx: ClusterContext,
  object: StoredObject,
  field: MetadataMap,
  change: { set: ReadonlyMap<string, string>; remove: readonly string[]; resourceVersion?: string },
  report: { target: Target; line: string; message: string; plural: string },
): void {
  const { set, remove, resourceVersion } = change;
  const { target, line, message, plural } = report;
  if (resourceVersion === undefined) {
    const before = object.metadata[field] as Labels | undefined;
    if (!sameMap(before, applyMapChanges(before, set, remove))) patchMetadataMap(ctx, object, field, set, remove);
    print(ctx, target, line, message);
    return;
  }
  patchMetadataMap(ctx, object, field, set, remove, resourceVersion, (result) => {
    if (result === 'ok') print(ctx, target, line, message);
    else printError(ctx, target, line, `Error from server (${result}): ${writeErrorText(result, plural, object.metadata.name)}`);
  });
}
