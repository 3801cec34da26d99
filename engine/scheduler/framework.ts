/**
 * One profile's framework: runs a pod through PreFilter, Filter, (PostFilter), PreScore, Score,
 * NormalizeScore, the weighted sum and host selection (pkg/scheduler/schedule_one.go
 * schedulePod / findNodesThatFitPod / prioritizeNodes and framework/runtime/framework.go).
 *
 * Nodes are filtered one after another from a start index that moves round-robin across cycles,
 * until `numFeasibleNodesToFind` feasible nodes are found (upstream does the same in parallel
 * chunks; sequentially the set found is the first N in that order). An optional Explainer is
 * told every plugin result, for `kubesim schedule`.
 */
import type { Rng } from '../core/rng.js';
import { fitErrorMessage, numFeasibleNodesToFind, selectHost } from './cycle.js';
import type { NodeInfo, PodInfo } from './node-info.js';
import type { BuiltProfile } from './profile.js';
import type { Snapshot } from './snapshot.js';
import { CycleState, Status, type FrameworkHandle, type Plugin, type PostFilterResult } from './types.js';

export interface Explainer {
  evaluated(node: NodeInfo): void;
  filter(node: NodeInfo, plugin: string, status: Status | null): void;
  feasible(node: NodeInfo): void;
  score(node: NodeInfo, plugin: string, score: number, normalized: number, weight: number): void;
  total(node: NodeInfo, total: number): void;
}

export interface ScheduleResult {
  node: NodeInfo | undefined;
  /** FitError message when no node fits. */
  message: string | null;
  feasibleNodesToFind: number;
  /** Why each rejected node was rejected. */
  statuses: Map<string, Status>;
  /** The PreFilter rejection, if the cycle stopped there. */
  preFilterStatus?: Status;
  state: CycleState;
}

export class Framework implements FrameworkHandle {
  readonly schedulerName: string;
  private readonly preFilter: Plugin[];
  private readonly filter: Plugin[];
  private readonly postFilter: Plugin[];
  private readonly preScore: Plugin[];
  private readonly score: Plugin[];
  private readonly weights: number[];
  private nextStartNodeIndex = 0;
  private snapshot!: Snapshot;

  constructor(
    profile: BuiltProfile,
    private readonly rng: Rng,
    private readonly globalPercentage: number | undefined,
    private readonly percentage = profile.percentageOfNodesToScore,
  ) {
    this.schedulerName = profile.schedulerName;
    this.preFilter = profile.points.preFilter;
    this.filter = profile.points.filter;
    this.postFilter = profile.points.postFilter;
    this.preScore = profile.points.preScore;
    this.score = profile.points.score;
    this.weights = this.score.map((p) => profile.weights.get(p.name) ?? 1);
  }

  randomInt(n: number): number {
    return this.rng.int(n);
  }

  /** PreFilter then Filter on one node, in a fresh cycle state (for preemption's what-ifs). */
  podFitsOn(pod: PodInfo, node: NodeInfo): boolean {
    const state = new CycleState(this.snapshot);
    if (this.runPreFilter(state, pod)) return false;
    return this.runFilters(state, pod, node) === null;
  }

  private runPreFilter(state: CycleState, pod: PodInfo): Status | null {
    for (const p of this.preFilter) {
      const s = p.preFilter!(state, pod);
      if (s === null || s.code === 'Success') continue;
      if (s.code === 'Skip') state.skipFilter.add(p.name);
      else {
        s.plugin = p.name;
        return s;
      }
    }
    return null;
  }

  private runFilters(state: CycleState, pod: PodInfo, node: NodeInfo, explain?: Explainer): Status | null {
    const skip = state.skipFilter;
    for (const p of this.filter) {
      if (skip.size && skip.has(p.name)) continue;
      const s = p.filter!(state, pod, node);
      explain?.filter(node, p.name, s);
      if (s !== null && s.code !== 'Success') {
        s.plugin = p.name;
        return s;
      }
    }
    return null;
  }

  schedulePod(snapshot: Snapshot, pod: PodInfo, explain?: Explainer): ScheduleResult {
    this.snapshot = snapshot;
    const nodes = snapshot.nodes;
    const n = nodes.length;
    const state = new CycleState(snapshot);
    const statuses = new Map<string, Status>();
    const toFind = numFeasibleNodesToFind(n, this.percentage ?? this.globalPercentage);
    const result: ScheduleResult = { node: undefined, message: null, feasibleNodesToFind: toFind, statuses, state };
    if (n === 0) {
      result.message = 'no nodes available to schedule pods';
      return result;
    }
    const rejected = this.runPreFilter(state, pod);
    if (rejected) {
      for (const node of nodes) statuses.set(node.name, rejected);
      result.preFilterStatus = rejected;
      result.message = fitErrorMessage(n, statuses, rejected.message);
      return result;
    }

    const feasible: NodeInfo[] = [];
    // evaluateNominatedNode: a pod that preempted for a node tries that node first.
    const nominated = (pod.pod.status as { nominatedNodeName?: string } | undefined)?.nominatedNodeName;
    const nominatedNode = nominated ? snapshot.node(nominated) : undefined;
    if (nominatedNode && this.runFilters(state, pod, nominatedNode) === null) feasible.push(nominatedNode);
    else if (this.filter.length === 0) {
      for (let i = 0; i < Math.min(toFind, n); i++) {
        const node = nodes[(this.nextStartNodeIndex + i) % n]!;
        explain?.evaluated(node);
        explain?.feasible(node);
        feasible.push(node);
      }
      this.nextStartNodeIndex = (this.nextStartNodeIndex + feasible.length) % n;
    } else {
      let processed = 0;
      for (let i = 0; i < n && feasible.length < toFind; i++) {
        const node = nodes[(this.nextStartNodeIndex + i) % n]!;
        processed++;
        explain?.evaluated(node);
        const s = this.runFilters(state, pod, node, explain);
        if (s === null) {
          explain?.feasible(node);
          feasible.push(node);
        } else statuses.set(node.name, s);
      }
      this.nextStartNodeIndex = (this.nextStartNodeIndex + processed) % n;
    }

    if (feasible.length === 0) {
      result.message = fitErrorMessage(n, statuses);
      return result;
    }
    if (feasible.length === 1) {
      result.node = feasible[0];
      return result;
    }
    const totals = this.prioritize(state, pod, feasible, explain);
    result.node = feasible[selectHost(totals, this.rng)];
    return result;
  }

  /** RunPostFilterPlugins: the first plugin that does not return Unschedulable decides. */
  runPostFilter(result: ScheduleResult, pod: PodInfo): PostFilterResult | undefined {
    let last: PostFilterResult | undefined;
    for (const p of this.postFilter) {
      last = p.postFilter!(result.state, pod, result.statuses, this);
      if (last.status.code !== 'Unschedulable') return last;
    }
    return last;
  }

  private prioritize(state: CycleState, pod: PodInfo, nodes: NodeInfo[], explain?: Explainer): Float64Array {
    const totals = new Float64Array(nodes.length);
    if (this.score.length === 0) {
      // No score plugins: every node scores 1 (prioritizeNodes).
      totals.fill(1);
      if (explain) for (const node of nodes) explain.total(node, 1);
      return totals;
    }
    for (const p of this.preScore) {
      const s = p.preScore!(state, pod, nodes);
      if (s !== null && s.code === 'Skip') state.skipScore.add(p.name);
    }
    const scores: number[] = new Array<number>(nodes.length);
    for (let k = 0; k < this.score.length; k++) {
      const p = this.score[k]!;
      if (state.skipScore.size && state.skipScore.has(p.name)) continue;
      const weight = this.weights[k]!;
      for (let i = 0; i < nodes.length; i++) scores[i] = p.score!(state, pod, nodes[i]!);
      const raw = explain ? [...scores] : undefined;
      p.normalizeScore?.(state, pod, nodes, scores);
      for (let i = 0; i < nodes.length; i++) {
        totals[i]! += scores[i]! * weight;
        explain?.score(nodes[i]!, p.name, raw![i]!, scores[i]!, weight);
      }
    }
    if (explain) nodes.forEach((node, i) => explain.total(node, totals[i]!));
    return totals;
  }
}
