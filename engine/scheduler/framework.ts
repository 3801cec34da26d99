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
import { QueueingHintMap } from './queueing-hints.js';
import type { Snapshot } from './snapshot.js';
import { asErrorText, CycleState, errorStatus, Status, type FrameworkHandle, type Plugin, type PostFilterResult } from './types.js';

export interface Explainer {
  evaluated(node: NodeInfo): void;
  filter(node: NodeInfo, plugin: string, status: Status | null): void;
  feasible(node: NodeInfo): void;
  score(node: NodeInfo, plugin: string, score: number, normalized: number, weight: number): void;
  total(node: NodeInfo, total: number): void;
}

export interface ScheduleResult {
  node: NodeInfo | undefined;
  /** FitError message when no node fits; the error's message when the cycle failed with one. */
  message: string | null;
  feasibleNodesToFind: number;
  /** Why each rejected node was rejected. */
  statuses: Map<string, Status>;
  /** The PreFilter rejection, if the cycle stopped there. */
  preFilterStatus?: Status;
  /**
   * Set when a plugin returned a status that is neither success nor a rejection (an Error, or a
   * code its extension point does not allow): the cycle stops with this error, as
   * schedulePod returns a plain error rather than a FitError (no PostFilter, no plugins to
   * blame; the queue retries the pod after its back-off).
   */
  error?: string;
  /**
   * Diagnosis.UnschedulablePlugins and PendingPlugins (framework/types.go AddPluginStatus):
   * the plugins that rejected the pod on some node (or at PreFilter), and those of them that
   * answered Pending. The queue decides with them which cluster events may help the pod.
   */
  unschedulablePlugins: Set<string>;
  pendingPlugins: Set<string>;
  state: CycleState;
}

/** Diagnosis.AddPluginStatus. */
function addPluginStatus(result: ScheduleResult, s: Status): void {
  if (s.plugin === '') return;
  if (s.isRejection()) result.unschedulablePlugins.add(s.plugin);
  if (s.code === 'Pending') result.pendingPlugins.add(s.plugin);
}

export class Framework implements FrameworkHandle {
  readonly schedulerName: string;
  /** The cluster events that may help pods this profile's PreFilter and Filter plugins rejected. */
  readonly queueingHints: QueueingHintMap;
  private readonly preFilter: Plugin[];
  private readonly filter: Plugin[];
  private readonly postFilter: Plugin[];
  private readonly preScore: Plugin[];
  private readonly score: Plugin[];
  private readonly weights: number[];
  /** This cycle's filters (those PreFilter did not skip), reused across cycles. */
  private readonly cycleFilters: Plugin[] = [];
  private nextStartNodeIndex = 0;
  /** Per-cycle buffers, reused (cycles do not overlap): nothing allocated per node. */
  private readonly feasibleBuf: NodeInfo[] = [];
  private scoresBuf: number[] = [];
  private totalsBuf = new Float64Array(0);
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
    this.queueingHints = new QueueingHintMap([...this.preFilter, ...this.filter]);
  }

  randomInt(n: number): number {
    return this.rng.int(n);
  }

  /** PreFilter then Filter on one node, in a fresh cycle state (for preemption's what-ifs). */
  podFitsOn(pod: PodInfo, node: NodeInfo): boolean {
    return this.filterStatus(pod, node) === null;
  }

  filterStatus(pod: PodInfo, node: NodeInfo): Status | null {
    const state = new CycleState(this.snapshot);
    const rejected = this.runPreFilter(state, pod);
    if (rejected) return rejected;
    // A node PreFilter's NodeNames leave out is rejected as findNodesThatFitPod marks it.
    if (state.candidateNodeNames && !state.candidateNodeNames.has(node.name)) return absentNodeStatus(state.pluginsWithNodes);
    return this.runFilters(state, pod, node);
  }

  /**
   * RunPreFilterPlugins (framework/runtime/framework.go): Skip marks the plugin's Filter as
   * skipped; UnschedulableAndUnresolvable stops at once (no preemption can help); Unschedulable
   * lets the other PreFilter plugins run (kubernetes#119770) and the last one is returned; any
   * other code is an error, `running PreFilter plugin "<name>": <message>`.
   *
   * A successful plugin may name the only nodes the pod can fit (PreFilterResult.NodeNames):
   * the sets are intersected (PreFilterResult.Merge) into `state.candidateNodeNames`, and the
   * plugins that gave one recorded, sorted, in `state.pluginsWithNodes`. An empty intersection
   * rejects the pod at once, UnschedulableAndUnresolvable and attributed to no plugin:
   * "node(s) didn't satisfy plugin X", or for several "node(s) didn't satisfy plugin(s) [X Y]
   * simultaneously" (Go's %v of the sorted list).
   */
  private runPreFilter(state: CycleState, pod: PodInfo): Status | null {
    let unschedulable: Status | null = null;
    let merged: Set<string> | undefined;
    const withNodes: string[] = [];
    for (const p of this.preFilter) {
      state.preFilterNodeNames = undefined;
      const s = p.preFilter!(state, pod);
      const names = state.preFilterNodeNames as ReadonlySet<string> | undefined; // set by the plugin
      state.preFilterNodeNames = undefined;
      if (s === null || s.code === 'Success') {
        if (names === undefined) continue;
        withNodes.push(p.name);
        if (merged === undefined) merged = new Set(names);
        else for (const n of merged) if (!names.has(n)) merged.delete(n);
        if (merged.size === 0) {
          const sorted = withNodes.sort();
          state.pluginsWithNodes = sorted;
          const msg = sorted.length === 1 ? `node(s) didn't satisfy plugin ${sorted[0]}` : `node(s) didn't satisfy plugin(s) [${sorted.join(' ')}] simultaneously`;
          return new Status('UnschedulableAndUnresolvable', [msg]);
        }
        continue;
      }
      if (s.code === 'Skip') {
        state.skipFilter.add(p.name);
        continue;
      }
      if (s.code === 'UnschedulableAndUnresolvable') {
        s.plugin = p.name;
        return s;
      }
      if (s.code === 'Unschedulable') {
        s.plugin = p.name;
        unschedulable = s;
        continue;
      }
      return errorStatus(`running PreFilter plugin "${p.name}": ${asErrorText(s)}`, p.name);
    }
    state.candidateNodeNames = merged;
    state.pluginsWithNodes = withNodes.sort();
    return unschedulable;
  }

  /**
   * RunFilterPlugins: the first plugin that does not return Success decides. A rejection
   * (Unschedulable, UnschedulableAndUnresolvable, Pending) rejects the node; any other code is
   * an error, `running "<name>" filter plugin: <message>`, that ends the cycle.
   */
  private runFilters(state: CycleState, pod: PodInfo, node: NodeInfo, explain?: Explainer): Status | null {
    const skip = state.skipFilter;
    for (const p of this.filter) {
      if (skip.size && skip.has(p.name)) continue;
      const s = p.filter!(state, pod, node);
      explain?.filter(node, p.name, s);
      if (s !== null && s.code !== 'Success') return filterFailure(s, p.name);
    }
    return null;
  }

  /**
   * RunFilterPluginsWithNominatedPods (framework/runtime/framework.go): on a node to which pods
   * of equal or higher priority are nominated (they preempted for it and wait for their
   * victims to leave), the filters run with those pods counted on the node, then (if that
   * passes) without them; so a lower-priority pod cannot take the room a preemption freed.
   * Upstream also updates the PreFilter state of PodTopologySpread and InterPodAffinity for
   * the nominated pods (AddPod); kubesim counts them for the node's resources, ports and pods.
   */
  private runFiltersWithNominated(state: CycleState, pod: PodInfo, node: NodeInfo, explain?: Explainer): Status | null {
    const nominated = state.snapshot.nominatedOn(node.name);
    const others = nominated?.filter((p) => p.key !== pod.key && p.priority >= pod.priority);
    if (!others?.length) return this.runFilters(state, pod, node, explain);
    for (const p of others) node.addPod(p);
    let s: Status | null;
    try {
      s = this.runFilters(state, pod, node, explain);
    } finally {
      for (const p of others) node.removePod(p);
    }
    return s !== null ? s : this.runFilters(state, pod, node);
  }

  /** The cycle ended with an error (schedulePod returned one that is not a FitError). */
  private failed(result: ScheduleResult, error: Status): ScheduleResult {
    result.error = error.message;
    result.message = error.message;
    return result;
  }

  /** The FitError: its message, and the plugins the queue will ask about cluster events. */
  private unfit(result: ScheduleResult, numAllNodes: number): ScheduleResult {
    result.message = fitErrorMessage(numAllNodes, result.statuses);
    for (const s of result.statuses.values()) addPluginStatus(result, s);
    return result;
  }

  schedulePod(snapshot: Snapshot, pod: PodInfo, explain?: Explainer): ScheduleResult {
    this.snapshot = snapshot;
    const nodes = snapshot.nodes;
    const n = nodes.length;
    const state = new CycleState(snapshot);
    const statuses = new Map<string, Status>();
    const result: ScheduleResult = {
      node: undefined,
      message: null,
      feasibleNodesToFind: numFeasibleNodesToFind(n, this.percentage ?? this.globalPercentage),
      statuses,
      state,
      unschedulablePlugins: new Set(),
      pendingPlugins: new Set(),
    };
    if (n === 0) {
      // ErrNoNodesAvailable (schedule_one.go): no plugin rejected the pod, so no PostFilter runs
      // and the queue retries it after its back-off.
      result.message = 'no nodes available to schedule pods';
      return result;
    }
    const rejected = this.runPreFilter(state, pod);
    // findNodesThatFitPod: Diagnosis.UnschedulablePlugins starts as the plugins that narrowed
    // the nodes (their PreFilterResult), whatever the outcome.
    for (const p of state.pluginsWithNodes) result.unschedulablePlugins.add(p);
    if (rejected) {
      if (rejected.code === 'Error') return this.failed(result, rejected);
      // findNodesThatFitPod: every node gets the PreFilter status (SetAbsentNodesStatus), the
      // message is the PreFilter's, and the rejecting plugin is recorded.
      for (const node of nodes) statuses.set(node.name, rejected);
      result.preFilterStatus = rejected;
      result.message = fitErrorMessage(n, statuses, rejected.message);
      addPluginStatus(result, rejected);
      return result;
    }
    // findNodesThatFitPod: with PreFilterResult.NodeNames only those nodes (that exist) are
    // filtered; the others are absent from NodeToStatus and read as absentNodeStatus. Upstream
    // walks the name set (Go map order, random); kubesim keeps the snapshot's node order so a
    // run stays a function of its seed. How many to find counts the candidates only
    // (findNodesThatPassFilters), while the round-robin start index advances by the nodes
    // processed modulo all nodes, as upstream does.
    const names = state.candidateNodeNames;
    const cands = names === undefined ? nodes : nodes.filter((node) => names.has(node.name));
    const m = cands.length;
    if (names !== undefined) result.feasibleNodesToFind = numFeasibleNodesToFind(m, this.percentage ?? this.globalPercentage);
    const toFind = result.feasibleNodesToFind;

    const feasible = this.feasibleBuf;
    feasible.length = 0;
    // evaluateNominatedNode: a pod that preempted for a node tries that node first.
    const nominated = (pod.pod.status as { nominatedNodeName?: string } | undefined)?.nominatedNodeName;
    const nominatedNode = nominated ? snapshot.node(nominated) : undefined;
    if (nominatedNode && this.runFiltersWithNominated(state, pod, nominatedNode) === null) feasible.push(nominatedNode);
    else if (m === 0) {
      // Every name PreFilter gave is unknown: nothing to filter, nothing processed.
    } else if (this.filter.length === 0) {
      for (let i = 0; i < Math.min(toFind, m); i++) {
        const node = cands[(this.nextStartNodeIndex + i) % m]!;
        explain?.evaluated(node);
        explain?.feasible(node);
        feasible.push(node);
      }
      this.nextStartNodeIndex = (this.nextStartNodeIndex + feasible.length) % n;
    } else if (explain) {
      let processed = 0;
      for (let i = 0; i < m && feasible.length < toFind; i++) {
        const node = cands[(this.nextStartNodeIndex + i) % m]!;
        processed++;
        explain.evaluated(node);
        const s = snapshot.hasNominatedPods ? this.runFiltersWithNominated(state, pod, node, explain) : this.runFilters(state, pod, node, explain);
        if (s === null) {
          explain.feasible(node);
          feasible.push(node);
        } else if (s.code === 'Error') {
          // findNodesThatPassFilters stops at an error; the index still moves past the nodes done.
          this.nextStartNodeIndex = (this.nextStartNodeIndex + processed - 1) % n;
          return this.failed(result, s);
        } else statuses.set(node.name, s);
      }
      this.nextStartNodeIndex = (this.nextStartNodeIndex + processed) % n;
    } else {
      // The same loop as above without an explainer, with the plugins PreFilter skipped taken
      // out once per cycle rather than looked up per node.
      const plugins = this.cycleFilters;
      plugins.length = 0;
      const skip = state.skipFilter;
      for (let k = 0; k < this.filter.length; k++) {
        if (skip.size && skip.has(this.filter[k]!.name)) continue;
        plugins.push(this.filter[k]!);
      }
      const nf = plugins.length;
      const withNominated = snapshot.hasNominatedPods;
      let processed = 0;
      let start = this.nextStartNodeIndex % m;
      for (let i = 0; i < m && feasible.length < toFind; i++) {
        const node = cands[start]!;
        if (++start === m) start = 0;
        processed++;
        let rejected: Status | null = null;
        if (withNominated && snapshot.nominatedOn(node.name)) rejected = this.runFiltersWithNominated(state, pod, node);
        else for (let k = 0; k < nf; k++) {
          const s = plugins[k]!.filter!(state, pod, node);
          if (s !== null && s.code !== 'Success') {
            rejected = filterFailure(s, plugins[k]!.name);
            break;
          }
        }
        if (rejected === null) feasible.push(node);
        else if (rejected.code === 'Error') {
          this.nextStartNodeIndex = (this.nextStartNodeIndex + processed - 1) % n;
          return this.failed(result, rejected);
        } else statuses.set(node.name, rejected);
      }
      this.nextStartNodeIndex = (this.nextStartNodeIndex + processed) % n;
    }

    if (feasible.length === 0) {
      if (names !== undefined) {
        const absent = absentNodeStatus(state.pluginsWithNodes);
        for (const node of nodes) if (!names.has(node.name)) statuses.set(node.name, absent);
      }
      return this.unfit(result, n);
    }
    if (feasible.length === 1) {
      result.node = feasible[0];
      return result;
    }
    const totals = this.prioritize(state, pod, feasible, explain);
    if (totals instanceof Status) return this.failed(result, totals);
    result.node = feasible[selectHost(totals, this.rng)];
    return result;
  }

  /**
   * RunPostFilterPlugins: the first Success or UnschedulableAndUnresolvable decides; another
   * code that is not a rejection is an error; when every plugin answers Unschedulable, the
   * status is Unschedulable with all their reasons, attributed to the first, and the last
   * result that nominates (or clears a nomination) is kept. Undefined without PostFilter plugins.
   */
  runPostFilter(result: ScheduleResult, pod: PodInfo): PostFilterResult | undefined {
    if (this.postFilter.length === 0) return undefined;
    let kept: PostFilterResult | undefined;
    const reasons: string[] = [];
    let rejector = '';
    for (const p of this.postFilter) {
      const r = p.postFilter!(result.state, pod, result.statuses, this);
      const s = r.status;
      if (s.code === 'Success') return r;
      if (s.code === 'UnschedulableAndUnresolvable') {
        s.plugin = p.name;
        return r;
      }
      if (!s.isRejection()) return { status: errorStatus(asErrorText(s), p.name) };
      if (r.nominatedNodeName !== undefined) kept = r;
      reasons.push(...s.reasons);
      if (rejector === '') rejector = p.name;
    }
    const status = new Status('Unschedulable', reasons);
    status.plugin = rejector;
    return kept ? { status, nominatedNodeName: kept.nominatedNodeName, victims: kept.victims } : { status };
  }

  /** prioritizeNodes; a PreScore plugin returning neither Success nor Skip fails the cycle (RunPreScorePlugins). */
  private prioritize(state: CycleState, pod: PodInfo, nodes: NodeInfo[], explain?: Explainer): Float64Array | Status {
    let totals = this.totalsBuf;
    if (totals.length !== nodes.length) totals = this.totalsBuf = new Float64Array(nodes.length);
    else totals.fill(0);
    if (this.score.length === 0) {
      // No score plugins: every node scores 1 (prioritizeNodes).
      totals.fill(1);
      if (explain) for (const node of nodes) explain.total(node, 1);
      return totals;
    }
    for (const p of this.preScore) {
      const s = p.preScore!(state, pod, nodes);
      if (s === null || s.code === 'Success') continue;
      if (s.code === 'Skip') state.skipScore.add(p.name);
      else return errorStatus(`running PreScore plugin "${p.name}": ${asErrorText(s)}`, p.name);
    }
    // Plugins see an array of exactly nodes.length scores (normalizers read scores.length).
    if (this.scoresBuf.length !== nodes.length) this.scoresBuf = new Array<number>(nodes.length).fill(0);
    const scores = this.scoresBuf;
    for (let k = 0; k < this.score.length; k++) {
      const p = this.score[k]!;
      if (state.skipScore.size && state.skipScore.has(p.name)) continue;
      const weight = this.weights[k]!;
      if (p.scoreNodes) p.scoreNodes(state, pod, nodes, scores);
      else for (let i = 0; i < nodes.length; i++) scores[i] = p.score!(state, pod, nodes[i]!);
      const raw = explain ? [...scores] : undefined;
      p.normalizeScore?.(state, pod, nodes, scores);
      for (let i = 0; i < nodes.length; i++) totals[i]! += scores[i]! * weight;
      if (explain) for (let i = 0; i < nodes.length; i++) explain.score(nodes[i]!, p.name, raw![i]!, scores[i]!, weight);
    }
    if (explain) nodes.forEach((node, i) => explain.total(node, totals[i]!));
    return totals;
  }
}

/**
 * The status findNodesThatFitPod gives the nodes a PreFilterResult left out
 * (SetAbsentNodesStatus): UnschedulableAndUnresolvable, so preemption skips them,
 * "node(s) didn't satisfy plugin(s) [X]" (Go's %v of the sorted plugin list), no plugin.
 */
function absentNodeStatus(pluginsWithNodes: readonly string[]): Status {
  return new Status('UnschedulableAndUnresolvable', [`node(s) didn't satisfy plugin(s) [${pluginsWithNodes.join(' ')}]`]);
}

/**
 * A Filter plugin's non-success status as RunFilterPlugins returns it: a rejection as it is
 * (with the plugin's name), any other code wrapped as an error.
 */
function filterFailure(s: Status, plugin: string): Status {
  if (!s.isRejection()) return errorStatus(`running "${plugin}" filter plugin: ${asErrorText(s)}`, plugin);
  s.plugin = plugin;
  return s;
}
