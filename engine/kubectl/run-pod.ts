/**
 * `kubectl run NAME --image=IMG [--port=P] [--restart=Always|OnFailure|Never]`: a bare pod, as
 * kubectl/pkg/generate/versioned/run.go makes it: label `run=NAME`, one container named NAME.
 * Nothing owns it, so nothing recreates it when it is deleted.
 */
import type { Pod } from '../api/types.js';
import { noMoreArguments, objectName, portNumber, requireName } from './args.js';
import { print, printError } from './output.js';
import { KubectlSyntaxError } from './syntax-error.js';
import type { Verb } from './verb.js';

export interface RunCommand {
  verb: 'run';
  name: string;
  namespace: string;
  object: Pod;
}

const RESTART = ['Always', 'OnFailure', 'Never'] as const;

export const runPod: Verb<RunCommand> = {
  verb: 'run',
  flags: ['image', 'port', 'restart', 'labels'],
  parse({ positional, flags }, namespace) {
    const [name, ...rest] = positional;
    noMoreArguments(rest);
    const n = objectName(requireName(name, 'the name of the pod to run'), 'a pod name');
    const image = flags.get('image');
    if (!image) throw new KubectlSyntaxError('--image=IMAGE (required by kubectl run)', 'no image');
    const port = flags.has('port') ? portNumber(flags.get('port')!, '--port') : undefined;
    const restart = flags.get('restart') ?? 'Always';
    if (!RESTART.includes(restart as (typeof RESTART)[number])) throw new KubectlSyntaxError('--restart=Always, OnFailure or Never', `"${restart}"`);
    let labels: Record<string, string> = { run: n };
    const labelText = flags.get('labels');
    if (labelText !== undefined) {
      labels = {};
      for (const pair of labelText.split(',')) {
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new KubectlSyntaxError('--labels=key=value[,key=value]', `"${labelText}"`);
        labels[pair.slice(0, eq)] = pair.slice(eq + 1);
      }
    }
    const object: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: n, namespace, labels },
      spec: {
        containers: [{ name: n, image, resources: {}, ...(port !== undefined && { ports: [{ containerPort: port }] }) }],
        restartPolicy: restart as Pod['spec']['restartPolicy'],
      },
    };
    return { verb: 'run', name: n, namespace, object };
  },
  references: () => [],
  creates: (c) => [c.object],
  run(ctx, c, line) {
    const target = { kind: 'Pod', namespace: c.namespace, name: c.name };
    if (ctx.api.get('Pod', c.namespace, c.name)) return printError(ctx, target, line, `Error from server (AlreadyExists): pods "${c.name}" already exists`);
    ctx.api.create(structuredClone(c.object));
    print(ctx, target, line, `pod/${c.name} created`);
  },
};
