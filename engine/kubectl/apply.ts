/**
 * `kubectl apply -f FILE`: creates each object of a manifest file, or updates it if it exists.
 * The file (relative to the scenario file) is read and validated by the scenario loader at load
 * time, each document at `documents[j]` of its own file, exactly as `spec.manifests` files are;
 * the command carries the objects. An update replaces the labels, annotations and spec the file
 * gives (kubectl's three-way merge reduced to "the file wins": fields written since by other
 * commands, such as a `scale`, are overwritten, as apply does for fields the file sets).
 * Output per object, as kubectl prints it: `deployment.apps/web created|configured|unchanged`.
 */
import { canonicalJson } from '../api/names.js';
import { kubectlRefusalText } from '../api/service-alloc.js';
import { allocateNodePorts } from '../api/service-node-ports.js';
import type { KubeObject } from '../api/types.js';
import { noMoreArguments } from './args.js';
import { print, printError } from './output.js';
import { KubectlSyntaxError } from './syntax-error.js';
import type { Verb } from './verb.js';

export interface ApplyCommand {
  verb: 'apply';
  namespace: string;
  /** As written after -f. */
  file: string;
  /** Filled by the scenario loader: the file's objects, validated, namespaces defaulted to `namespace`. */
  objects: KubeObject[];
}

const GROUPS: Readonly<Record<string, string>> = {
  Deployment: 'deployment.apps',
  ReplicaSet: 'replicaset.apps',
  StatefulSet: 'statefulset.apps',
  DaemonSet: 'daemonset.apps',
  HorizontalPodAutoscaler: 'horizontalpodautoscaler.autoscaling',
  StorageClass: 'storageclass.storage.k8s.io',
};

/** How kubectl names an object in its output: `deployment.apps/web`, `service/web`. */
export function printedName(o: KubeObject): string {
  return `${GROUPS[o.kind] ?? o.kind.toLowerCase()}/${o.metadata.name}`;
}

/** What apply compares and writes: everything but status and server-set metadata. */
function desiredOf(o: KubeObject): unknown {
  const r = o as unknown as { spec?: unknown; data?: unknown; metadata: KubeObject['metadata'] };
  return { labels: r.metadata.labels ?? {}, annotations: r.metadata.annotations ?? {}, spec: r.spec, data: r.data };
}

export const apply: Verb<ApplyCommand> = {
  verb: 'apply',
  flags: ['filename'],
  parse({ positional, flags }, namespace) {
    noMoreArguments(positional);
    const file = flags.get('filename');
    if (file === undefined || file === '') throw new KubectlSyntaxError('-f FILE (a manifest file, relative to the scenario)', 'no -f flag');
    if (file === '-' || /^https?:\/\//.test(file)) throw new KubectlSyntaxError('-f with a file path', `"${file}"`);
    return { verb: 'apply', namespace, file, objects: [] };
  },
  references: () => [],
  creates: (c) => c.objects,
  run(ctx, c, line) {
    for (const object of c.objects) {
      const o = structuredClone(object);
      const target = { kind: o.kind, namespace: o.metadata.namespace ?? '', name: o.metadata.name };
      const current = ctx.api.get(o.kind, o.metadata.namespace, o.metadata.name);
      if (!current) {
        if (o.kind === 'Service' && !allocateNodePorts(ctx.api.list('Service'), ctx.defaults.service.nodePortRange, o)) {
          printError(ctx, target, line, `The Service "${o.metadata.name}" is invalid: spec.ports: node port range is full`);
          continue;
        }
        const refused = o.kind === 'Service' ? ctx.api.dryRunServiceCreate(o) : undefined;
        if (refused) {
          printError(ctx, target, line, kubectlRefusalText(refused));
          continue;
        }
        ctx.api.create(o);
        print(ctx, target, line, `${printedName(o)} created`);
        continue;
      }
      // What the API server would store: for a Service, its defaults and the allocated values the file leaves out.
      let stored: KubeObject = o;
      if (o.kind === 'Service') {
        // Keep the node ports the Service already has, as the apiserver does for an update without them.
        const cur = current as typeof o;
        for (const p of o.spec.ports) {
          const had = cur.spec.ports.find((q) => q.port === p.port)?.nodePort;
          if (p.nodePort === undefined && had !== undefined && o.spec.type !== 'ClusterIP') p.nodePort = had;
        }
        const dryRun = ctx.api.dryRunServiceUpdate(cur, o);
        if (dryRun.refused) {
          printError(ctx, target, line, kubectlRefusalText(dryRun.refused));
          continue;
        }
        stored = dryRun.stored;
      }
      if (canonicalJson(desiredOf(current)) === canonicalJson(desiredOf(stored))) {
        print(ctx, target, line, `${printedName(o)} unchanged`);
        continue;
      }
      // A Service is written as the API server prepared it (its kept node ports included), with the node ports it still lacks.
      if (stored.kind === 'Service' && !allocateNodePorts(ctx.api.list('Service'), ctx.defaults.service.nodePortRange, stored)) {
        printError(ctx, target, line, `The Service "${o.metadata.name}" is invalid: spec.ports: node port range is full`);
        continue;
      }
      ctx.api.update(o.kind, o.metadata.namespace, o.metadata.name, (obj) => {
        const r = obj as unknown as Record<string, unknown>;
        const src = stored as unknown as Record<string, unknown>;
        obj.metadata.labels = o.metadata.labels;
        obj.metadata.annotations = o.metadata.annotations;
        if ('spec' in src) r.spec = src.spec;
        if ('data' in src) r.data = src.data;
      });
      print(ctx, target, line, `${printedName(o)} configured`);
    }
  },
};
