/**
 * `kubectl delete pod NAME` / `kubectl delete pod -l key=value`: graceful pod deletion.
 * `kubectl delete deployment|replicaset|statefulset|daemonset|service|pdb NAME [-l ...]`: the
 * object goes at once and the garbage collector deletes what it owned (ownerReferences) in the
 * background, as kubectl's default `--cascade=background` asks (engine/controllers/garbagecollector.ts).
 */
import { matchesSelector } from '../api/labels.js';
import { deletePod } from '../api/pod-lifecycle.js';
import type { KubeObject } from '../api/types.js';
import { noMoreArguments, parseSelector, resourceAndName, resourceOf, RESOURCE_INFO } from './args.js';
import { notFound, print } from './output.js';
import { KubectlSyntaxError } from './syntax-error.js';
import type { Verb } from './verb.js';

export interface DeleteCommand {
  verb: 'delete';
  resource: 'pod' | 'deployment' | 'replicaset' | 'statefulset' | 'daemonset' | 'service' | 'poddisruptionbudget';
  namespace: string;
  name?: string;
  selector?: Record<string, string>;
}

export const del: Verb<DeleteCommand> = {
  verb: 'delete',
  flags: ['selector'],
  parse({ positional, flags }, namespace) {
    const { resource: word, name, rest } = resourceAndName(positional, 'delete');
    const resource = resourceOf(word, ['pod', 'deployment', 'replicaset', 'statefulset', 'daemonset', 'service', 'poddisruptionbudget'] as const, 'delete');
    noMoreArguments(rest);
    const selectorText = flags.get('selector');
    if (selectorText !== undefined && name !== undefined) {
      throw new KubectlSyntaxError(`either a ${resource} name or a selector (-l), as kubectl requires`, 'both');
    }
    if (selectorText !== undefined) return { verb: 'delete', resource, namespace, selector: parseSelector(selectorText) };
    if (name === undefined) throw new KubectlSyntaxError(`a ${resource} name or a selector (-l key=value)`, 'neither');
    return { verb: 'delete', resource, namespace, name };
  },
  // Pod names are generated at run time, so pods are not checked against the manifests.
  references: (c) => (c.resource === 'pod' || c.name === undefined ? [] : [{ kind: RESOURCE_INFO[c.resource].kind, namespace: c.namespace, name: c.name }]),
  run(ctx, c, line) {
    if (c.resource !== 'pod') return deleteObjects(ctx, c, line);
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

function deleteObjects(ctx: Parameters<typeof del.run>[0], c: DeleteCommand, line: string): void {
  const { kind, printed } = RESOURCE_INFO[c.resource];
  const k = kind as KubeObject['kind'];
  let names: string[];
  if (c.name !== undefined) {
    if (!ctx.api.get(k, c.namespace, c.name)) return notFound(ctx, { kind, namespace: c.namespace, name: c.name }, line);
    names = [c.name];
  } else {
    const selector = { matchLabels: c.selector ?? {} };
    names = ctx.api.list(k, c.namespace).filter((o) => matchesSelector(selector, o.metadata.labels)).map((o) => o.metadata.name);
    if (names.length === 0) return print(ctx, { kind, namespace: c.namespace, name: '' }, line, `No resources found in ${c.namespace} namespace.`);
  }
  for (const name of names) {
    ctx.api.delete(k, c.namespace, name);
    print(ctx, { kind, namespace: c.namespace, name }, line, `${printed} "${name}" deleted`);
  }
}
