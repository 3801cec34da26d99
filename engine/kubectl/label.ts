/**
 * `kubectl label TYPE NAME... KEY=VALUE... KEY-... [--overwrite]` (also `TYPE/NAME`, or `TYPE`
 * with `-l SELECTOR` or `--all`, `-A`), as staging/src/k8s.io/kubectl/pkg/cmd/label/label.go
 * does it: label values are checked before anything is sent (label-func.ts), keys by the API
 * server (here at load time too: both refuse the command before it changes anything); changing
 * a label that has another value needs --overwrite; removing a label that is not there prints
 * `label "KEY" not found.`; each object prints `TYPE/NAME labeled|unlabeled|not labeled`. The
 * change is a merge patch of metadata.labels: the keys set and removed, nothing else.
 *
 * Types: nodes, pods, deployments, replicasets, statefulsets, daemonsets, services,
 * persistentvolumeclaims, persistentvolumes. What reacts is whoever watches them: node labels
 * reach the scheduler (nodeSelector, node affinity, topology spread), the DaemonSet controller,
 * and the load balancers (node.kubernetes.io/exclude-from-external-load-balancers); pod labels
 * reach Service endpoints and the scheduler's pod (anti-)affinity and spreading counts.
 */
import { boolFlag, RESOURCE_INFO, type Resource } from './args.js';
import { kubectlSaid, parseSelection, resolveSelection, resourceVersionFlag, selectionReferences, validateSelectionFlags, type Selection } from './builder.js';
import { applyLabels, dataChangeMsg, parseLabels, validateNoOverwrites } from './label-func.js';
import { refuseInvalidKeys, writeMetadataChange } from './metadata-map.js';
import { notFound, print, printError, type Target } from './output.js';
import { resourcesAndPairs } from './pairs.js';
import { KubectlSyntaxError } from './syntax-error.js';
import type { Verb } from './verb.js';

export interface LabelCommand {
  verb: 'label';
  namespace: string;
  allNamespaces: boolean;
  selection: Selection;
  /** Labels to set, in the command's order. */
  set: [string, string][];
  remove: string[];
  overwrite: boolean;
  /** --resource-version: the only version the patch may apply to. */
  resourceVersion?: string;
}

const LABELLED: readonly Resource[] = ['node', 'pod', 'deployment', 'replicaset', 'statefulset', 'daemonset', 'service', 'persistentvolumeclaim', 'persistentvolume'];

export const label: Verb<LabelCommand> = {
  verb: 'label',
  flags: ['overwrite', 'selector', 'all', 'all-namespaces', 'resource-version'],
  parse({ positional, flags }, namespace) {
    const split = resourcesAndPairs(positional, 'label');
    if ('error' in split) throw new KubectlSyntaxError('resources first, then KEY=VALUE or KEY- changes', kubectlSaid(`"${positional.join(' ')}"`, split.error));
    const parsed = parseLabels(split.pairs);
    if ('error' in parsed) throw new KubectlSyntaxError('label changes KEY=VALUE (a valid label value) or KEY-', kubectlSaid(`"${split.pairs.join(' ')}"`, parsed.error));
    const selector = flags.get('selector');
    const all = boolFlag(flags.get('all'), 'all');
    // Validate (label.go): these come before the Builder looks at the resources.
    validateSelectionFlags(split.resources, selector, all);
    if (parsed.set.size === 0 && parsed.remove.length === 0) throw new KubectlSyntaxError('at least one KEY=VALUE or KEY-', kubectlSaid('none', 'at least one label update is required'));
    // The API server's check of metadata.labels (ValidateLabels), known now: the command would be refused.
    refuseInvalidKeys(parsed.set.keys(), 'labels');
    const selection = parseSelection(split.resources, { selector, all }, LABELLED, 'label');
    const resourceVersion = resourceVersionFlag(flags.get('resource-version'), selection, split.resources);
    return {
      verb: 'label',
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
      for (const key of c.remove) if (!Object.hasOwn(meta.labels ?? {}, key)) print(ctx, target, line, `label ${JSON.stringify(key)} not found.`);
      const refused = c.overwrite ? undefined : validateNoOverwrites(meta.labels, set);
      if (refused !== undefined) {
        printError(ctx, target, line, `error: ${refused}`);
        continue;
      }
      const after = applyLabels(meta.labels, set, c.remove);
      const message = `${printed}/${meta.name} ${dataChangeMsg(meta.labels, after, c.overwrite)}`;
      writeMetadataChange(ctx, object, 'labels', { set, remove: c.remove, resourceVersion: c.resourceVersion }, { target, line, message, plural });
    }
    // ContinueOnError: the Builder's NotFound errors come after what it could visit.
    for (const target of missing) notFound(ctx, target, line);
  },
};
