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
import { boolFlag, type Resource } from './args.js';
import { kubectlSaid, selectionReferences, validateSelectionFlags } from './builder.js';
import { applyLabels, dataChangeMsg, parseLabels, validateNoOverwrites } from './label-func.js';
import { metadataMapCommand, runMetadataMapCommand, type MetadataMapCommand } from './metadata-map.js';
import { print } from './output.js';
import { resourcesAndPairs } from './pairs.js';
import { KubectlSyntaxError } from './syntax-error.js';
import type { Verb } from './verb.js';

export interface LabelCommand extends MetadataMapCommand {
  verb: 'label';
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
    return { verb: 'label', ...metadataMapCommand({ resources: split.resources, selector, all, flags }, parsed, { kinds: LABELLED, verb: 'label', field: 'labels' }, namespace) };
  },
  references: (c) => selectionReferences(c.selection, c.namespace),
  run(ctx, c, line) {
    const set = new Map(c.set);
    runMetadataMapCommand(ctx, c, line, 'labels', (object, target, printed) => {
      const labels = object.metadata.labels;
      for (const key of c.remove) if (!Object.hasOwn(labels ?? {}, key)) print(ctx, target, line, `label ${JSON.stringify(key)} not found.`);
      const refused = c.overwrite ? undefined : validateNoOverwrites(labels, set);
      if (refused !== undefined) return { refused };
      return { message: `${printed}/${object.metadata.name} ${dataChangeMsg(labels, applyLabels(labels, set, c.remove), c.overwrite)}` };
    });
  },
};
