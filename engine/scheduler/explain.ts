/**
 * Scheduling decisions explained, as kube-scheduler-simulator shows them: pods scheduled one
 * after another on a fixed set of nodes (each bound before the next), with every plugin's
 * filter status and score per node. The engine side of `kubesim schedule`; no I/O here.
 *
 * Output contract (`kubesim schedule -o json`): for each pod, `selectedNode` (null when none
 * fits), `message` (the FitError text, null on success), `feasibleNodesToFind`, and per node
 * `evaluated`, `feasible`, `filters` (plugins run, in order, until the first rejection),
 * `scores` (plugins that scored: raw `score`, `normalizedScore`, `weight`, `weightedScore`;
 * a plugin whose PreScore returned Skip is absent) and `totalScore` (null when not scored).
 */
import type { Node, Pod } from '../api/types.js';
import { createStream } from '../core/rng.js';
import { buildProfiles, DEFAULT_SCHEDULER_CONFIG, type SchedulerConfig } from './config.js';
import { DEFAULT_SCHEDULER_NAME } from './default-plugins.js';
import { Framework, type Explainer } from './framework.js';
import { PodInfo, type NodeInfo } from './node-info.js';
import type { Registry } from './registry.js';
import { IN_TREE_REGISTRY } from './registry.js';
import { Snapshot } from './snapshot.js';
import type { Status } from './types.js';

export interface FilterResult {
  plugin: string;
  status: string;
  reason: string | null;
}

export interface ScoreResult {
  plugin: string;
  score: number;
  normalizedScore: number;
  weight: number;
  weightedScore: number;
}

export interface NodeResult {
  name: string;
  evaluated: boolean;
  feasible: boolean;
  filters: FilterResult[];
  scores: ScoreResult[];
  totalScore: number | null;
}

export interface PodResult {
  pod: string;
  selectedNode: string | null;
  message: string | null;
  feasibleNodesToFind: number;
  nodes: NodeResult[];
}

export interface ScheduleInput {
  nodes: Node[];
  /** Pods in file order; those with spec.nodeName are already bound. */
  pods: Pod[];
  services?: import('../api/types.js').Service[];
  replicaSets?: import('../api/types.js').ReplicaSet[];
}

class Recorder implements Explainer {
  readonly byNode = new Map<string, NodeResult>();
  constructor(nodes: readonly NodeInfo[]) {
    for (const n of nodes) this.byNode.set(n.name, { name: n.name, evaluated: false, feasible: false, filters: [], scores: [], totalScore: null });
  }
  evaluated(node: NodeInfo): void {
    this.byNode.get(node.name)!.evaluated = true;
  }
  filter(node: NodeInfo, plugin: string, status: Status | null): void {
    const ok = status === null || status.code === 'Success';
    this.byNode.get(node.name)!.filters.push({ plugin, status: ok ? 'Success' : status.code, reason: ok ? null : status.message });
  }
  feasible(node: NodeInfo): void {
    this.byNode.get(node.name)!.feasible = true;
  }
  score(node: NodeInfo, plugin: string, score: number, normalized: number, weight: number): void {
    this.byNode.get(node.name)!.scores.push({ plugin, score, normalizedScore: normalized, weight, weightedScore: normalized * weight });
  }
  total(node: NodeInfo, total: number): void {
    this.byNode.get(node.name)!.totalScore = total;
  }
}

export function explainSchedule(
  input: ScheduleInput,
  config: SchedulerConfig = DEFAULT_SCHEDULER_CONFIG,
  seed = 1,
  registry: Registry = IN_TREE_REGISTRY,
): PodResult[] {
  const snapshot = new Snapshot();
  for (const n of input.nodes) snapshot.upsertNode(n);
  snapshot.services = input.services ?? [];
  snapshot.replicaSets = input.replicaSets ?? [];
  const rng = createStream(seed, 'scheduler');
  const frameworks = new Map(buildProfiles(config, registry).map((p) => [p.schedulerName, new Framework(p, rng, config.percentageOfNodesToScore)]));
  for (const pod of input.pods) if (pod.spec.nodeName) snapshot.addPod(new PodInfo(pod), pod.spec.nodeName);
  const results: PodResult[] = [];
  for (const pod of input.pods) {
    if (pod.spec.nodeName) continue;
    const info = new PodInfo(pod);
    const fw = frameworks.get(pod.spec.schedulerName ?? DEFAULT_SCHEDULER_NAME);
    const rec = new Recorder(snapshot.nodes);
    if (!fw) {
      results.push({ pod: info.key, selectedNode: null, message: `no profile for schedulerName "${pod.spec.schedulerName}"`, feasibleNodesToFind: 0, nodes: [...rec.byNode.values()] });
      continue;
    }
    const r = fw.schedulePod(snapshot, info, rec);
    if (r.node) snapshot.addPod(info, r.node.name);
    results.push({
      pod: info.key,
      selectedNode: r.node?.name ?? null,
      message: r.node ? null : r.message,
      feasibleNodesToFind: r.feasibleNodesToFind,
      nodes: [...rec.byNode.values()],
    });
  }
  return results;
}
