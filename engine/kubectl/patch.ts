/**
 * `kubectl patch deployment|replicaset|statefulset|daemonset|service NAME -p PATCH [--type=merge|strategic]`:
 * the stand-in for `kubectl edit`. PATCH is JSON or YAML, parsed at load time. It is applied
 * with JSON merge patch semantics (RFC 7386) for both types: for the fields kubesim models, a
 * strategic merge patch differs only in lists with merge keys (containers, ports, tolerations),
 * which here are replaced whole, so name every container a list patch keeps. `--type=json`
 * (RFC 6902) is not supported. The patched object is validated as a manifest is; an invalid
 * result is refused with kubectl's "is invalid" error and nothing changes.
 *
 * A Service is first what the API server's registry makes of the update (engine/api/
 * service-update.ts): the node ports a port list left out kept, the fields a new type has no
 * use for dropped (`-p '{"spec":{"type":"ClusterIP"}}'` on a NodePort Service drops its node
 * ports), or the API server's refusal of a field set with a type that has no use for it; then
 * the node ports a NodePort or LoadBalancer Service lacks come from the allocator
 * (engine/api/service-node-ports.ts).
 */
import { parse as parseYaml } from 'yaml';
import { kubectlRefusalText } from '../api/service-alloc.js';
import { allocateNodePorts } from '../api/service-node-ports.js';
import { prepareServiceUpdate } from '../api/service-update.js';
import type { KubeObject, Service } from '../api/types.js';
import { ScenarioError } from '../scenario/errors.js';
import { manifestSchema } from '../scenario/manifest-schema.js';
import { canonicalJson } from '../api/names.js';
import { noMoreArguments, requireName, resourceAndName, resourceOf, RESOURCE_INFO } from './args.js';
import { mergePatch } from './merge-patch.js';
import { notFound, print, printError } from './output.js';
import { KubectlSyntaxError } from './syntax-error.js';
import type { Verb } from './verb.js';

type Patchable = 'deployment' | 'replicaset' | 'statefulset' | 'daemonset' | 'service';

export interface PatchCommand {
  verb: 'patch';
  resource: Patchable;
  name: string;
  namespace: string;
  patch: Record<string, unknown>;
}

/** Fields a patch may not change: the object's identity and what the API server owns. */
const IDENTITY = ['apiVersion', 'kind'] as const;

export const patch: Verb<PatchCommand> = {
  verb: 'patch',
  flags: ['patch', 'type'],
  parse({ positional, flags }, namespace) {
    const { resource: word, name, rest } = resourceAndName(positional, 'patch');
    const resource = resourceOf(word, ['deployment', 'replicaset', 'statefulset', 'daemonset', 'service'] as const, 'patch');
    noMoreArguments(rest);
    const type = flags.get('type') ?? 'strategic';
    if (type !== 'strategic' && type !== 'merge') throw new KubectlSyntaxError('--type=strategic or --type=merge (JSON patch is not supported)', `"${type}"`);
    const text = flags.get('patch');
    if (text === undefined) throw new KubectlSyntaxError('-p PATCH (a JSON or YAML map)', 'no -p flag');
    let value: unknown;
    try {
      value = parseYaml(text);
    } catch (e) {
      throw new KubectlSyntaxError('-p with valid JSON or YAML', `${JSON.stringify(text)} (${(e as Error).message.split('\n')[0]})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new KubectlSyntaxError('-p with a JSON or YAML map such as \'{"spec":{"replicas":3}}\'', JSON.stringify(text));
    const meta = (value as { metadata?: Record<string, unknown> }).metadata;
    for (const field of IDENTITY) if (field in value) throw new KubectlSyntaxError(`a patch that leaves ${field} alone`, `a patch of ${field}`);
    if (meta && typeof meta === 'object' && ('name' in meta || 'namespace' in meta)) throw new KubectlSyntaxError('a patch that leaves metadata.name and metadata.namespace alone', 'a change of the object\'s name');
    return { verb: 'patch', resource, name: requireName(name, `the name of the ${resource} to patch`), namespace, patch: value as Record<string, unknown> };
  },
  references: (c) => [{ kind: RESOURCE_INFO[c.resource].kind, namespace: c.namespace, name: c.name }],
  // The patch applied to the object as the scenario defines it must still be a valid manifest,
  // once the API server has made of a Service update what it makes of it.
  check(c, known) {
    const kind = RESOURCE_INFO[c.resource].kind;
    const target = known.find((o) => o.kind === kind && o.metadata.namespace === c.namespace && o.metadata.name === c.name);
    if (!target) return undefined;
    const patched = mergePatch(structuredClone(target), c.patch) as KubeObject;
    if (patched.kind === 'Service') {
      const refused = prepareServiceUpdate(target as Service, patched);
      if (refused) return { expected: 'a patch leaving a valid Service', found: `a patch the API server refuses (${kubectlRefusalText(refused)})` };
    }
    try {
      manifestSchema.parse(patched, { file: undefined, path: '' });
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      return { expected: `a patch leaving a valid ${kind}`, found: `${e.path}: expected ${e.expected}, found ${e.found}` };
    }
    return undefined;
  },
  run(ctx, c, line) {
    const { kind, printed } = RESOURCE_INFO[c.resource];
    const target = { kind, namespace: c.namespace, name: c.name };
    const current = ctx.api.get(kind as KubeObject['kind'], c.namespace, c.name);
    if (!current) return notFound(ctx, target, line);
    const { status: _status, ...desired } = current as KubeObject & { status?: unknown };
    let patched = mergePatch(desired, c.patch) as KubeObject;
    if (patched.kind === 'Service') {
      // What the registry makes of the update before it is validated: allocated values kept or
      // dropped with the type, defaults, clusterIP/clusterIPs normalized; or the API server's refusal.
      const dryRun = ctx.api.dryRunServiceUpdate(current as Service, patched);
      if (dryRun.refused) return printError(ctx, target, line, kubectlRefusalText(dryRun.refused));
      const { status: _stored, ...stored } = dryRun.stored;
      patched = stored;
    }
    let checked: KubeObject;
    try {
      checked = manifestSchema.parse(structuredClone(patched), { file: undefined, path: '' }) as KubeObject;
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      return printError(ctx, target, line, `The ${kind} "${c.name}" is invalid: ${e.message}`);
    }
    const before = canonicalJson(desired);
    if (canonicalJson(patched) === before) return print(ctx, target, line, `${printed}/${c.name} patched (no change)`);
    // The node ports a NodePort or LoadBalancer Service still lacks (a change of type), from the allocator.
    if (checked.kind === 'Service' && !allocateNodePorts(ctx.api.list('Service'), ctx.defaults.service.nodePortRange, checked)) {
      return printError(ctx, target, line, `The Service "${c.name}" is invalid: spec.ports: node port range is full`);
    }
    ctx.api.update(kind as KubeObject['kind'], c.namespace, c.name, (obj) => {
      const o = obj as unknown as Record<string, unknown>;
      const meta = { ...(obj.metadata as object), labels: checked.metadata.labels, annotations: checked.metadata.annotations };
      o.spec = (checked as unknown as { spec: unknown }).spec;
      o.metadata = meta;
    });
    print(ctx, target, line, `${printed}/${c.name} patched`);
  },
};
