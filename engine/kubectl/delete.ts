/** `kubectl delete pod NAME` / `kubectl delete pod -l key=value`: graceful pod deletion. */
import { matchesSelector } from '../api/labels.js';
import { deletePod } from '../api/pod-lifecycle.js';
import { noMoreArguments, parseSelector, resourceAndName, resourceOf } from './args.js';
import { notFound, print } from './output.js';
import { KubectlSyntaxError } from './syntax-error.js';
import type { Verb } from './verb.js';

export interface DeleteCommand {
  verb: 'delete';
  resource: 'pod';
  namespace: string;
  name?: string;
  selector?: Record<string, string>;
}

export const del: Verb<DeleteCommand> = {
  verb: 'delete',
  flags: ['selector'],
  parse({ positional, flags }, namespace) {
    const { resource: word, name, rest } = resourceAndName(positional, 'delete');
    const resource = resourceOf(word, ['pod'] as const, 'delete');
    noMoreArguments(rest);
    const selectorText = flags.get('selector');
    if (selectorText !== undefined && name !== undefined) {
      throw new KubectlSyntaxError('either a pod name or a selector (-l), as kubectl requires', 'both');
    }
    if (selectorText !== undefined) return { verb: 'delete', resource, namespace, selector: parseSelector(selectorText) };
    if (name === undefined) throw new KubectlSyntaxError('a pod name or a selector (-l key=value)', 'neither');
    return { verb: 'delete', resource, namespace, name };
  },
  // Pod names are generated at run time, so nothing is checked against the manifests.
  references: () => [],
  run(ctx, c, line) {
    if (c.name !== undefined) {
      const target = { kind: 'Pod', namespace: c.namespace, name: c.name };
      const pod = ctx.api.get('Pod', c.namespace, c.name);
      if (!pod) return notFound(ctx, target, line);
      deletePod(ctx, pod);
      print(ctx, target, line, `pod "${c.name}" deleted`);
      return;
    }
    const selector = { matchLabels: c.selector ?? {} };
    const pods = ctx.api
      .list('Pod', c.namespace)
      .filter((p) => matchesSelector(selector, p.metadata.labels) && p.metadata.deletionTimestamp === undefined);
    if (pods.length === 0) {
      print(ctx, { kind: 'Pod', namespace: c.namespace, name: '' }, line, `No resources found in ${c.namespace} namespace.`);
      return;
    }
    for (const pod of pods) {
      deletePod(ctx, pod);
      print(ctx, { kind: 'Pod', namespace: c.namespace, name: pod.metadata.name }, line, `pod "${pod.metadata.name}" deleted`);
    }
  },
};
