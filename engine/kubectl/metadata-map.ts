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
import { kubectlSaid } from './builder.js';
import { print, printError, type Target } from './output.js';
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

/**
 * The write and the line of `kubectl label` / `kubectl annotate` for one object. Without
 * --resource-version: the patch only when something changes (an empty merge patch changes
 * nothing at the API server) and the line at once. With it: the patch always (it carries the
 * version to check) and the line once the API server answered, or its Conflict.
 */
export function writeMetadataChange(
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
