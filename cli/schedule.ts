/**
 * `kubesim schedule -f FILE [-f FILE]... [--config KSC.yaml] [-o table|json]`: explains
 * scheduling decisions the way kube-scheduler-simulator shows them (see
 * engine/scheduler/explain.ts for the output contract). Files hold ordinary manifests: Nodes,
 * bound Pods (spec.nodeName set), the Pods to schedule (in file order), and optionally
 * PriorityClasses, Services and ReplicaSets (for default topology spreading).
 */
import type { Command } from 'commander';
import { isQuantity } from '../engine/api/quantity.js';
import type { Node, Pod, ReplicaSet, Service } from '../engine/api/types.js';
import { errors } from '../engine/scenario/errors.js';
import { at, isPlainObject, type Ctx } from '../engine/scenario/schema.js';
import { parseYamlDocuments, readFileBytes } from '../engine/scenario/yaml-source.js';
import { DEFAULT_SCHEDULER_CONFIG, parseSchedulerConfig } from '../engine/scheduler/config.js';
import { explainSchedule, type PodResult, type ScheduleInput } from '../engine/scheduler/explain.js';
import { IN_TREE_REGISTRY, type Registry } from '../engine/scheduler/registry.js';
import { registryWithPluginFiles } from '../engine/scheduler/user-plugins.js';
import { collect, parseSeed } from './options.js';
import { usage } from './errors.js';

interface Flags {
  file: string[];
  config?: string;
  output: string;
  seed?: number;
  plugin: string[];
}

export function registerSchedule(program: Command): void {
  program
    .command('schedule')
    .description('schedule pods onto nodes from manifests and explain every filter and score, as kube-scheduler would')
    .option('-f, --file <file>', 'YAML file of Nodes and Pods (repeatable); pods without spec.nodeName are scheduled in order', collect, [])
    .option('--config <file>', 'a KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1)')
    .option('-o, --output <format>', 'table or json', 'table')
    .option('--seed <n>', 'seed of the tie-break random stream (default 1)', (v) => parseSeed(v))
    .option('--plugin <file>', 'a JavaScript module exporting scheduler plugin factories by name, for --config to enable (repeatable)', collect, [])
    .addHelpText(
      'after',
      `
Examples:
  $ kubesim schedule -f nodes.yaml -f pods.yaml
  $ kubesim schedule -f cluster.yaml --config binpacking.yaml -o json
  $ kubesim schedule -f cluster.yaml --plugin ./my-plugins.mjs --config with-my-plugin.yaml

JSON: {"results": [{"pod", "selectedNode", "message", "feasibleNodesToFind", "nodes": [{"name",
"evaluated", "feasible", "filters": [{"plugin", "status", "reason"}], "scores": [{"plugin",
"score", "normalizedScore", "weight", "weightedScore"}], "totalScore"}]}]}`,
    )
    .action(async (flags: Flags) => {
      if (flags.file.length === 0) throw usage.badValue('-f', '', 'at least one -f FILE');
      if (flags.output !== 'table' && flags.output !== 'json') throw usage.badValue('-o', flags.output, 'table or json');
      const registry = flags.plugin.length ? await registryWithPluginFiles(flags.plugin) : IN_TREE_REGISTRY;
      const input = readInput(flags.file);
      const config = flags.config ? readConfig(flags.config, registry) : DEFAULT_SCHEDULER_CONFIG;
      const results = explainSchedule(input, config, flags.seed ?? 1, registry);
      process.stdout.write(flags.output === 'json' ? `${JSON.stringify({ results }, null, 2)}\n` : formatTable(results));
    });
}

function readDocs(file: string): unknown[] {
  return parseYamlDocuments(readFileBytes(file, file).toString('utf8'), file);
}

function readConfig(file: string, registry: Registry) {
  const docs = readDocs(file).filter((d) => d !== null && d !== undefined);
  if (docs.length !== 1) throw errors.documentCount(file, 'exactly one YAML document (a KubeSchedulerConfiguration)', docs.length);
  return parseSchedulerConfig(docs[0], { file, path: '' }, registry);
}

function requireName(doc: Record<string, unknown>, ctx: Ctx): void {
  const meta = doc.metadata;
  if (!isPlainObject(meta)) throw errors.missingField(ctx.file, ctx.path, 'metadata');
  if (typeof meta.name !== 'string' || meta.name === '') throw errors.wrongType(ctx.file, at(at(ctx, 'metadata'), 'name').path, 'a non-empty name', meta.name);
}

function checkQuantities(list: unknown, ctx: Ctx): void {
  if (list === undefined) return;
  if (!isPlainObject(list)) throw errors.wrongType(ctx.file, ctx.path, 'a mapping of resource quantities', list);
  for (const [k, v] of Object.entries(list)) {
    if (!isQuantity(v) || String(v).startsWith('-')) throw errors.wrongType(ctx.file, at(ctx, k).path, 'a non-negative Kubernetes quantity such as 100m, 2, 1Gi or 4000', v);
  }
}

function checkPod(doc: Record<string, unknown>, ctx: Ctx): void {
  requireName(doc, ctx);
  const spec = doc.spec;
  const specAt = at(ctx, 'spec');
  if (!isPlainObject(spec)) throw errors.missingField(ctx.file, ctx.path, 'spec');
  if (!Array.isArray(spec.containers) || spec.containers.length === 0) throw errors.wrongType(ctx.file, at(specAt, 'containers').path, 'a list of at least 1 container', spec.containers);
  for (const field of ['containers', 'initContainers'] as const) {
    const list = spec[field];
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw errors.wrongType(ctx.file, at(specAt, field).path, 'a list', list);
    list.forEach((c: unknown, i) => {
      const cAt = at(at(specAt, field), i);
      if (!isPlainObject(c) || typeof c.image !== 'string') throw errors.wrongType(ctx.file, at(cAt, 'image').path, 'an image name', isPlainObject(c) ? c.image : c);
      const res = c.resources;
      if (isPlainObject(res)) checkQuantities(res.requests, at(at(cAt, 'resources'), 'requests'));
    });
  }
}

function readInput(files: string[]): ScheduleInput {
  const input: ScheduleInput = { nodes: [], pods: [], services: [], replicaSets: [] };
  const priorityClasses = new Map<string, number>();
  let globalDefault: number | undefined;
  const names = new Set<string>();
  for (const file of files) {
    readDocs(file).forEach((doc, j) => {
      if (doc === null || doc === undefined) return;
      const ctx: Ctx = { file, path: `documents[${j}]` };
      const items = isPlainObject(doc) && doc.kind === 'List' && Array.isArray(doc.items) ? doc.items : [doc];
      items.forEach((item: unknown, k) => {
        const c = items.length > 1 || item !== doc ? at(at(ctx, 'items'), k) : ctx;
        if (!isPlainObject(item)) throw errors.wrongType(file, c.path, 'a Kubernetes object', item);
        switch (item.kind) {
          case 'Node': {
            requireName(item, c);
            const status = isPlainObject(item.status) ? item.status : {};
            checkQuantities(status.allocatable, at(at(c, 'status'), 'allocatable'));
            const node = { spec: {}, ...item, status: { capacity: {}, addresses: [], ...status, allocatable: status.allocatable ?? status.capacity ?? {} } } as unknown as Node;
            const key = `Node/${node.metadata.name}`;
            if (names.has(key)) throw errors.duplicate(file, at(at(c, 'metadata'), 'name').path, 'Node name', node.metadata.name);
            names.add(key);
            input.nodes.push(node);
            break;
          }
          case 'Pod': {
            checkPod(item, c);
            const pod = item as unknown as Pod;
            pod.metadata.namespace ??= 'default';
            const key = `Pod/${pod.metadata.namespace}/${pod.metadata.name}`;
            if (names.has(key)) throw errors.duplicate(file, at(at(c, 'metadata'), 'name').path, 'Pod name', pod.metadata.name);
            names.add(key);
            input.pods.push(pod);
            break;
          }
          case 'PriorityClass': {
            requireName(item, c);
            if (typeof item.value !== 'number' || !Number.isInteger(item.value)) throw errors.wrongType(file, at(c, 'value').path, 'an integer priority', item.value);
            priorityClasses.set((item.metadata as { name: string }).name, item.value);
            if (item.globalDefault === true) globalDefault = item.value;
            break;
          }
          case 'Service':
            input.services!.push(item as unknown as Service);
            break;
          case 'ReplicaSet':
            input.replicaSets!.push(item as unknown as ReplicaSet);
            break;
          case 'Namespace':
            break;
          default:
            throw errors.invalidValue(file, at(c, 'kind').path, 'one of Node, Pod, PriorityClass, Service, ReplicaSet, Namespace, List', `kind ${JSON.stringify(item.kind)}`);
        }
      });
    });
  }
  // The Priority admission plugin: spec.priority from the PriorityClass (or the global default).
  for (const pod of input.pods) {
    if (pod.spec.priority !== undefined) continue;
    const cls = pod.spec.priorityClassName;
    if (cls !== undefined && !priorityClasses.has(cls)) {
      throw errors.unknownReference(undefined, `Pod ${pod.metadata.namespace}/${pod.metadata.name} spec.priorityClassName`, 'PriorityClass', cls, [...priorityClasses.keys()]);
    }
    pod.spec.priority = cls !== undefined ? priorityClasses.get(cls)! : (globalDefault ?? 0);
  }
  return input;
}

function formatTable(results: PodResult[]): string {
  const out: string[] = [];
  for (const r of results) {
    out.push(r.selectedNode ? `${r.pod} -> ${r.selectedNode}` : `${r.pod}: ${r.message}`);
    const plugins = [...new Set(r.nodes.flatMap((n) => n.scores.map((s) => s.plugin)))];
    const header = ['NODE', 'FEASIBLE', 'FILTER', ...plugins, 'TOTAL'];
    const rows = r.nodes.map((n) => {
      const failed = n.filters.find((f) => f.status !== 'Success');
      const filter = !n.evaluated ? '(not evaluated)' : failed ? `${failed.plugin}: ${failed.reason}` : 'passed';
      const cells = plugins.map((p) => {
        const s = n.scores.find((x) => x.plugin === p);
        return s ? `${s.normalizedScore}x${s.weight}=${s.weightedScore}` : '';
      });
      const mark = n.name === r.selectedNode ? '*' : '';
      return [n.name + mark, n.feasible ? 'yes' : 'no', filter, ...cells, n.totalScore === null ? '' : String(n.totalScore)];
    });
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
    out.push(`  feasibleNodesToFind ${r.feasibleNodesToFind}`, `  ${line(header)}`, ...rows.map((row) => `  ${line(row)}`), '');
  }
  return `${out.join('\n')}\n`;
}
