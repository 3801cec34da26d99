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
import { kubectlSaid, selectionReferences, validateSelectionFlags } from './builder.js';
import { metadataMapCommand, runMetadataMapCommand, type MetadataMapCommand } from './metadata-map.js';
import { resourcesAndPairs } from './pairs.js';
import { KubectlSyntaxError } from './syntax-error.js';
import type { Verb } from './verb.js';

export interface AnnotateCommand extends MetadataMapCommand {
  verb: 'annotate';
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
    return { verb: 'annotate', ...metadataMapCommand({ resources: split.resources, selector, all, flags }, parsed, { kinds: ANNOTATED, verb: 'annotate', field: 'annotations' }, namespace) };
  },
  references: (c) => selectionReferences(c.selection, c.namespace),
  run(ctx, c, line) {
    const set = new Map(c.set);
    runMetadataMapCommand(ctx, c, line, 'annotations', (object, _target, printed) => {
      const refused = c.overwrite ? undefined : validateNoAnnotationOverwrites(object.metadata.annotations, set);
      return refused !== undefined ? { refused } : { message: `${printed}/${object.metadata.name} annotated` };
    });
  },
};
