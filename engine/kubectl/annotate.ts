/**
 * `kubectl annotate TYPE NAME... KEY=VALUE... KEY-... [--overwrite] [--resource-version=V]`
 * (also `TYPE/NAME`, or `TYPE` with `-l SELECTOR` or `--all`, `-A`), as
 * staging/src/k8s.io/kubectl/pkg/cmd/annotate/annotate.go does it, on every kind kubesim's API
 * server keeps (Events aside: kubesim records them outside the store). The rules
 * (annotate-func.ts): a value is any string (split at the first '='); changing an annotation
 * that has another value needs --overwrite, except kubernetes.io/change-cause; removing one that
 * is not there is no error. The keys are the API server's to check (ValidateAnnotations), here
 * at load time. Each object prints `TYPE/NAME annotated`, whatever changed; the change is a
 * merge patch of metadata.annotations (metadata-map.ts, as `kubectl label` writes labels).
 *
 * `--resource-version` (one object only, "--resource-version may only be used with a single
 * resource") puts metadata.resourceVersion in the patch: the API server applies it only to that
 * version, else answers `Error from server (Conflict): Operation cannot be fulfilled on ...`.
 * kubesim's kubectl prints its other answers at the command's instant, from the state it read
 * then; with --resource-version it prints when the API server has answered, the write having to
 * find the version it names when it commits.
 *
 * What reacts: a Deployment's kubernetes.io/change-cause goes to its current ReplicaSet and so to
 * `rollout history`; other annotations are read where kubesim reads them (serving.kubesim.dev/*
 * on pod templates, MetalLB's on Services, the pod deletion cost).
 */
import { parseAnnotations, validateAnnotations, validateNoAnnotationOverwrites } from './annotate-func.js';
import { boolFlag, RESOURCE_INFO, type Resource } from './args.js';
import { kubectlSaid, parseSelection, resolveSelection, resourceVersionFlag, selectionReferences, validateSelectionFlags, type Selection } from './builder.js';
import { refuseInvalidKeys, writeMetadataChange } from './metadata-map.js';
import { notFound, printError, type Target } from './output.js';
import { resourcesAndPairs } from './pairs.js';
import { KubectlSyntaxError } from './syntax-error.js';
import type { Verb } from './verb.js';

export interface AnnotateCommand {
  verb: 'annotate';
  namespace: string;
  allNamespaces: boolean;
  selection: Selection;
  /** Annotations to set, in the command's order. */
  set: [string, string][];
  remove: string[];
  overwrite: boolean;
  /** --resource-version: the only version the patch may apply to. */
  resourceVersion?: string;
}

/** Every resource kubesim's kubectl names that the API server stores (Events are kept apart). */
const ANNOTATED: readonly Resource[] = (Object.keys(RESOURCE_INFO) as Resource[]).filter((r) => r !== 'event');

export const annotate: Verb<AnnotateCommand> = {
  verb: 'annotate',
  flags: ['overwrite', 'selector', 'all', 'all-namespaces', 'resource-version'],
  parse({ positional, flags }, namespace) {
    // ToOptions, in its order.
    const split = resourcesAndPairs(positional, 'annotation');
    if ('error' in split) throw new KubectlSyntaxError('resources first, then KEY=VALUE or KEY- changes', kubectlSaid(`"${positional.join(' ')}"`, split.error));
    const parsed = parseAnnotations(split.pairs);
    if ('error' in parsed) throw new KubectlSyntaxError('annotation changes KEY=VALUE or KEY-', kubectlSaid(`"${split.pairs.join(' ')}"`, parsed.error));
    const selector = flags.get('selector');
    const all = boolFlag(flags.get('all'), 'all');
    validateSelectionFlags(split.resources, selector, all);
    if (parsed.set.size === 0 && parsed.remove.length === 0) throw new KubectlSyntaxError('at least one KEY=VALUE or KEY-', kubectlSaid('none', 'at least one annotation update is required'));
    const both = validateAnnotations(parsed.remove, parsed.set);
    if (both !== undefined) throw new KubectlSyntaxError('each annotation either set or removed', kubectlSaid(`"${split.pairs.join(' ')}"`, both));
    // RunAnnotate: the Builder, then the single-resource rule of --resource-version.
    const selection = parseSelection(split.resources, { selector, all }, ANNOTATED, 'annotate');
    const resourceVersion = resourceVersionFlag(flags.get('resource-version'), selection, split.resources);
    // The API server's check of metadata.annotations (ValidateAnnotations), known now: the command would be refused.
    refuseInvalidKeys(parsed.set.keys(), 'annotations');
    return {
      verb: 'annotate',
      namespace,
      allNamespaces: boolFlag(flags.get('all-namespaces'), 'all-namespaces'),
      selection,
      set: [...parsed.set],
      remove: parsed.remove,
      overwrite: boolFlag(flags.get('overwrite'), 'overwrite'),
      ...(resourceVersion !== undefined && { resourceVersion }),
    };
  },
  references: (c) => selectionReferences(c.selection, c.namespace),
  run(ctx, c, line) {
    const { found, missing } = resolveSelection(ctx, c.selection, c.namespace, c.allNamespaces);
    const set = new Map(c.set);
    for (const { resource, object } of found) {
      const { kind, printed, plural } = RESOURCE_INFO[resource];
      const meta = object.metadata;
      const target: Target = { kind, namespace: meta.namespace ?? '', name: meta.name };
      const refused = c.overwrite ? undefined : validateNoAnnotationOverwrites(meta.annotations, set);
      if (refused !== undefined) {
        printError(ctx, target, line, `error: ${refused}`);
        continue;
      }
      writeMetadataChange(ctx, object, 'annotations', { set, remove: c.remove, resourceVersion: c.resourceVersion }, { target, line, message: `${printed}/${meta.name} annotated`, plural });
    }
    // ContinueOnError: the Builder's NotFound errors come after what it could visit.
    for (const target of missing) notFound(ctx, target, line);
  },
};
