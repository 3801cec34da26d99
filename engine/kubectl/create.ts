/**
 * `kubectl create deployment NAME --image=IMG [--image=...] [--replicas=N] [--port=P]`, as
 * kubectl/pkg/cmd/create/create_deployment.go builds it: labels `app=NAME` on the Deployment,
 * its selector and its pod template; one container per image, named after the image (last
 * path segment without tag or digest, `_` made `-`); `--port` sets the first container's
 * containerPort; replicas default 1. The object is built at load time, so the loader knows it.
 */
import type { Deployment } from '../api/types.js';
import { nonNegativeInt, noMoreArguments, objectName, portNumber, requireName } from './args.js';
import { print, printError } from './output.js';
import { KubectlSyntaxError } from './syntax-error.js';
import type { Verb } from './verb.js';

export interface CreateCommand {
  verb: 'create';
  resource: 'deployment';
  name: string;
  namespace: string;
  object: Deployment;
}

/** The container name kubectl derives from an image reference. */
export function containerNameOf(image: string): string {
  let name = image.split('/').pop()!;
  name = name.split('@')[0]!.split(':')[0]!;
  return name.replace(/_/g, '-').toLowerCase();
}

export const create: Verb<CreateCommand> = {
  verb: 'create',
  flags: ['image', 'replicas', 'port'],
  parse({ positional, flags, repeated }, namespace) {
    const [what, name, ...rest] = positional;
    if (what !== 'deployment' && what !== 'deploy') {
      throw new KubectlSyntaxError('kubectl create deployment NAME --image=IMAGE (the form supported here)', what === undefined ? 'nothing after create' : `"create ${what}"`);
    }
    noMoreArguments(rest);
    const n = objectName(requireName(name, 'the name of the deployment to create'), 'a deployment name');
    const images = repeated?.get('image') ?? [];
    if (images.length === 0 || images.some((i) => i === '')) throw new KubectlSyntaxError('--image=IMAGE (required by kubectl create deployment)', 'no image');
    const replicas = flags.has('replicas') ? nonNegativeInt(flags.get('replicas')!, '--replicas') : 1;
    const port = flags.has('port') ? portNumber(flags.get('port')!, '--port') : undefined;
    const labels = { app: n };
    const containers = images.map((image, i) => ({
      name: containerNameOf(image),
      image,
      resources: {},
      ...(i === 0 && port !== undefined && { ports: [{ containerPort: port }] }),
    }));
    const object: Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: n, namespace, labels: { ...labels } },
      spec: { replicas, selector: { matchLabels: { ...labels } }, template: { metadata: { labels: { ...labels } }, spec: { containers } } },
    };
    return { verb: 'create', resource: 'deployment', name: n, namespace, object };
  },
  references: () => [],
  creates: (c) => [c.object],
  run(ctx, c, line) {
    const target = { kind: 'Deployment', namespace: c.namespace, name: c.name };
    if (ctx.api.get('Deployment', c.namespace, c.name)) {
      return printError(ctx, target, line, `error: failed to create deployment: deployments.apps "${c.name}" already exists`);
    }
    ctx.api.create(structuredClone(c.object));
    print(ctx, target, line, `deployment.apps/${c.name} created`);
  },
};
