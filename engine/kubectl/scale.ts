/** `kubectl scale deployment|replicaset|statefulset NAME --replicas=N`: sets spec.replicas. */
import { nonNegativeInt, noMoreArguments, requireName, resourceAndName, resourceOf } from './args.js';
import { notFound, print } from './output.js';
import { KubectlSyntaxError } from './syntax-error.js';
import type { Verb } from './verb.js';

export interface ScaleCommand {
  verb: 'scale';
  resource: 'deployment' | 'replicaset' | 'statefulset';
  name: string;
  namespace: string;
  replicas: number;
}

const KIND = { deployment: 'Deployment', replicaset: 'ReplicaSet', statefulset: 'StatefulSet' } as const;
const PRINTED = { deployment: 'deployment.apps', replicaset: 'replicaset.apps', statefulset: 'statefulset.apps' } as const;

export const scale: Verb<ScaleCommand> = {
  verb: 'scale',
  flags: ['replicas'],
  parse({ positional, flags }, namespace) {
    const { resource: word, name, rest } = resourceAndName(positional, 'scale');
    const resource = resourceOf(word, ['deployment', 'replicaset', 'statefulset'] as const, 'scale');
    noMoreArguments(rest);
    const replicas = flags.get('replicas');
    if (replicas === undefined) throw new KubectlSyntaxError('--replicas=N', 'no --replicas flag');
    return { verb: 'scale', resource, name: requireName(name, `the name of the ${resource} to scale`), namespace, replicas: nonNegativeInt(replicas, '--replicas') };
  },
  references: (c) => [{ kind: KIND[c.resource], namespace: c.namespace, name: c.name }],
  run(ctx, c, line) {
    const kind = KIND[c.resource];
    const target = { kind, namespace: c.namespace, name: c.name };
    if (!ctx.api.get(kind, c.namespace, c.name)) return notFound(ctx, target, line);
    ctx.api.update(kind, c.namespace, c.name, (obj) => {
      if (obj.spec.replicas === c.replicas) return false;
      obj.spec.replicas = c.replicas;
    });
    print(ctx, target, line, `${PRINTED[c.resource]}/${c.name} scaled`);
  },
};
