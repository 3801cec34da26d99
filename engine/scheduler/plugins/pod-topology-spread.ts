/**
 * PodTopologySpread.
 *  - PreFilter/Filter (DoNotSchedule constraints): for each constraint, count the matching pods
 *    per topology domain over the nodes that carry every topology key and pass the node
 *    inclusion policies; a node fails when
 *      matching pods in its domain + (1 if the pod matches its own selector) - global minimum > maxSkew
 *    (the minimum is 0 while there are fewer domains than minDomains). A node without the
 *    topology key fails as unresolvable.
 *  - PreScore/Score/NormalizeScore (ScheduleAnyway constraints, or the default constraints):
 *    score = round(Σ count * log(domains + 2) + (maxSkew - 1)), then
 *    100 * (max + min - score) / max, with nodes lacking a topology key scored 0.
 *  - EventsToRegister (queueing hints on): Pod Add/UpdatePodLabel/Delete, queueing the pod when
 *    a bound pod of its namespace that one of its DoNotSchedule constraints selects arrives or
 *    leaves, or is relabelled into or out of a selector; Node Add/Delete/UpdateNodeLabel/
 *    UpdateNodeTaint, queueing it when a node carrying all its topology keys arrives or leaves,
 *    gains or loses them, or (still carrying them) changes a topology value or its taints.
 * Upstream: pkg/scheduler/framework/plugins/podtopologyspread/{filtering,scoring,plugin,common}.go
 *   (EventsToRegister, isSchedulableAfterPodChange, isSchedulableAfterNodeChange as of
 *   kubernetes#127478, 1.32)
 */
import type { Node } from '../../api/types.js';
import { ActionType } from '../cluster-event.js';
import { sameTaints } from '../node-change.js';
import type { NodeInfo, PodInfo } from '../node-info.js';
import { schedulingFields, type TopologySpreadConstraint } from '../pod-spec.js';
import type { Snapshot } from '../snapshot.js';
import type { TopologyKeyIndex } from '../topology-counts.js';
import { countPodsMatchSelector, singleLabelKey } from '../helpers.js';
import { MAX_NODE_SCORE, SKIP, unresolvable, unschedulable, type Plugin } from '../types.js';
import {
  buildDefaultConstraints,
  LABEL_HOSTNAME,
  nodeHasAllTopologyKeys,
  nodeIncluded,
  podConstraints,
  selectorMatchesPod,
  SYSTEM_DEFAULT_CONSTRAINTS,
  type Constraint,
} from './topology-spread-constraints.js';

export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`;

export interface PodTopologySpreadArgs {
  defaultConstraints?: TopologySpreadConstraint[];
  defaultingType?: 'System' | 'List';
}

interface PreFilterState {
  constraints: Constraint[];
  /** Per constraint: topology value -> matching pods. */
  matchNum: Map<string, number>[];
  /** Per constraint: the smallest count over its domains. */
  minMatch: number[];
  selfMatch: number[];
}

interface PreScoreState {
  constraints: Constraint[];
  ignored: Set<string>;
  counts: Map<string, number>[];
  weights: number[];
  keys: (string | undefined)[];
}

function scoreOn(s: PreScoreState, pod: PodInfo, node: NodeInfo): number {
  if (s.ignored.size && s.ignored.has(node.name)) return 0;
  let score = 0;
  for (let i = 0; i < s.constraints.length; i++) {
    const c = s.constraints[i]!;
    const value = node.labels[c.topologyKey];
    if (value === undefined) continue;
    const cnt = c.topologyKey === LABEL_HOSTNAME ? countPodsMatchSelector(node, c.selector, pod.namespace, s.keys[i]) : (s.counts[i]!.get(value) ?? 0);
    score += cnt * s.weights[i]! + (c.maxSkew - 1);
  }
  return Math.round(score);
}

/**
 * The snapshot's per-domain counts for every constraint, when they equal what the per-node scan
 * would sum: each selector is a single label, every node carries every constraint's topology
 * key, and the node inclusion policies include every node (the pod has no required node
 * affinity or nodeSelector, or the policy ignores it; taints are not honoured). Else undefined.
 */
function indexedCounts(snapshot: Snapshot, pod: PodInfo, constraints: readonly Constraint[], keys: readonly (string | undefined)[]): TopologyKeyIndex[] | undefined {
  let affinityChecked = false;
  for (let i = 0; i < constraints.length; i++) {
    const c = constraints[i]!;
    if (keys[i] === undefined || c.honorNodeTaints) return undefined;
    if (c.honorNodeAffinity && !affinityChecked) {
      if (hasRequiredNodeAffinity(pod)) return undefined;
      affinityChecked = true;
    }
  }
  const n = snapshot.nodes.length;
  const out: TopologyKeyIndex[] = [];
  for (const c of constraints) {
    const ki = snapshot.topology.index(c.topologyKey);
    if (ki.nodesWithKey !== n) return undefined;
    out.push(ki);
  }
  return out;
}

/** The pod's required node affinity selects some nodes only (nodeSelector or required terms set). */
function hasRequiredNodeAffinity(pod: PodInfo): boolean {
  const selector = pod.pod.spec.nodeSelector;
  if (selector) for (const _ in selector) return true;
  return schedulingFields(pod.pod).affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms !== undefined;
}

const PREFILTER = 'PreFilterPodTopologySpread';
const PRESCORE = 'PreScorePodTopologySpread';

export function podTopologySpread(args: PodTopologySpreadArgs = {}): Plugin {
  const systemDefaulted = (args.defaultingType ?? 'System') === 'System';
  const defaults = systemDefaulted ? SYSTEM_DEFAULT_CONSTRAINTS : (args.defaultConstraints ?? []);

  const constraintsFor = (snapshot: Snapshot, pod: PodInfo, action: 'DoNotSchedule' | 'ScheduleAnyway'): Constraint[] =>
    (pod.pod.spec as { topologySpreadConstraints?: unknown[] }).topologySpreadConstraints?.length
      ? podConstraints(pod, action)
      : buildDefaultConstraints(pod, snapshot, defaults, action);

  return {
    name: 'PodTopologySpread',
    eventsToRegister: () => [
      {
        event: { resource: 'Pod', actionType: ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete },
        hint(pod, oldObj, newObj, snapshot) {
          const before = oldObj as PodInfo | undefined;
          const after = newObj as PodInfo | undefined;
          // involvedInTopologySpreading: the pod itself, or a bound pod of its namespace.
          const involved = (p: PodInfo): boolean => p.key === pod.key || (p.nodeName !== undefined && p.namespace === pod.namespace);
          if ((after && !involved(after)) || (before && !involved(before))) return 'QueueSkip';
          const constraints = constraintsFor(snapshot, pod, 'DoNotSchedule');
          const selected = (p: PodInfo): boolean => constraints.some((c) => selectorMatchesPod(c, p));
          if (before && after) return constraints.some((c) => selectorMatchesPod(c, before) !== selectorMatchesPod(c, after)) ? 'Queue' : 'QueueSkip';
          return selected((after ?? before)!) ? 'Queue' : 'QueueSkip';
        },
      },
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.Delete | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint },
        hint(pod, oldObj, newObj, snapshot) {
          const before = oldObj as Node | undefined;
          const after = newObj as Node | undefined;
          const constraints = constraintsFor(snapshot, pod, 'DoNotSchedule');
          const matching = (n: Node | undefined): boolean => n !== undefined && nodeHasAllTopologyKeys(n.metadata.labels ?? {}, constraints);
          if (before && after) {
            if (matching(before) !== matching(after)) return 'Queue';
            if (!matching(after)) return 'QueueSkip';
            const was = before.metadata.labels ?? {};
            const is = after.metadata.labels ?? {};
            const keyChanged = constraints.some((c) => was[c.topologyKey] !== is[c.topologyKey]);
            return keyChanged || !sameTaints(before.spec.taints, after.spec.taints) ? 'Queue' : 'QueueSkip';
          }
          return matching(after ?? before) ? 'Queue' : 'QueueSkip';
        },
      },
    ],
    preFilter(state, pod) {
      const constraints = constraintsFor(state.snapshot, pod, 'DoNotSchedule');
      if (constraints.length === 0) return SKIP;
      const matchNum = constraints.map(() => new Map<string, number>());
      const keys = constraints.map((c) => singleLabelKey(c.selector, pod.namespace));
      const indexes = indexedCounts(state.snapshot, pod, constraints, keys);
      if (indexes) {
        // The same sums as the scan below, read from the snapshot's per-domain counts.
        indexes.forEach((ki, i) => {
          const pods = ki.pods.get(keys[i]!);
          const m = matchNum[i]!;
          for (const value of ki.domains.keys()) m.set(value, pods?.get(value) ?? 0);
        });
      } else for (const node of state.snapshot.nodes) {
        if (!nodeHasAllTopologyKeys(node.labels, constraints)) continue;
        constraints.forEach((c, i) => {
          if (!nodeIncluded(c, pod, node)) return;
          const value = node.labels[c.topologyKey]!;
          const m = matchNum[i]!;
          m.set(value, (m.get(value) ?? 0) + countPodsMatchSelector(node, c.selector, pod.namespace, keys[i]));
        });
      }
      const minMatch = constraints.map((c, i) => {
        const m = matchNum[i]!;
        if (m.size < c.minDomains) return 0;
        let min = Infinity;
        for (const v of m.values()) if (v < min) min = v;
        return min;
      });
      const selfMatch = constraints.map((c) => (selectorMatchesPod(c, pod) ? 1 : 0));
      state.write(PREFILTER, { constraints, matchNum, minMatch, selfMatch } satisfies PreFilterState);
      return null;
    },
    filter(state, _pod, node) {
      const s = state.read<PreFilterState>(PREFILTER);
      if (!s) return null;
      for (let i = 0; i < s.constraints.length; i++) {
        const c = s.constraints[i]!;
        const value = node.labels[c.topologyKey];
        if (value === undefined) return unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
        const skew = (s.matchNum[i]!.get(value) ?? 0) + s.selfMatch[i]! - s.minMatch[i]!;
        if (skew > c.maxSkew) return unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
      }
      return null;
    },
    preScore(state, pod, filtered) {
      const all = state.snapshot.nodes;
      if (all.length === 0) return SKIP;
      const ownCount = (pod.pod.spec as { topologySpreadConstraints?: unknown[] }).topologySpreadConstraints?.length ?? 0;
      const constraints = constraintsFor(state.snapshot, pod, 'ScheduleAnyway');
      if (constraints.length === 0) return SKIP;
      // Only non-default rules require every topology label (nodes without a zone label still get hostname spreading).
      const requireAll = ownCount > 0 || !systemDefaulted;
      const ignored = new Set<string>();
      const counts = constraints.map(() => new Map<string, number>());
      const sizes = constraints.map(() => 0);
      for (const node of filtered) {
        if (requireAll && !nodeHasAllTopologyKeys(node.labels, constraints)) {
          ignored.add(node.name);
          continue;
        }
        constraints.forEach((c, i) => {
          if (c.topologyKey === LABEL_HOSTNAME) return;
          const value = node.labels[c.topologyKey] ?? '';
          if (!counts[i]!.has(value)) {
            counts[i]!.set(value, 0);
            sizes[i]!++;
          }
        });
      }
      const weights = constraints.map((c, i) => Math.log((c.topologyKey === LABEL_HOSTNAME ? filtered.length - ignored.size : sizes[i]!) + 2));
      const keys = constraints.map((c) => singleLabelKey(c.selector, pod.namespace));
      const indexes = indexedCounts(state.snapshot, pod, constraints, keys);
      if (indexes) {
        indexes.forEach((ki, i) => {
          if (constraints[i]!.topologyKey === LABEL_HOSTNAME) return;
          const pods = ki.pods.get(keys[i]!);
          const m = counts[i]!;
          for (const value of m.keys()) m.set(value, pods?.get(value) ?? 0);
        });
      } else for (const node of all) {
        if (requireAll && !nodeHasAllTopologyKeys(node.labels, constraints)) continue;
        constraints.forEach((c, i) => {
          if (!nodeIncluded(c, pod, node)) return;
          const value = node.labels[c.topologyKey] ?? '';
          const m = counts[i]!;
          const current = m.get(value);
          if (current === undefined) return;
          m.set(value, current + countPodsMatchSelector(node, c.selector, pod.namespace, keys[i]));
        });
      }
      state.write(PRESCORE, { constraints, ignored, counts, weights, keys } satisfies PreScoreState);
      return null;
    },
    score(state, pod, node: NodeInfo) {
      return scoreOn(state.read<PreScoreState>(PRESCORE)!, pod, node);
    },
    scoreNodes(state, pod, nodes, scores) {
      const s = state.read<PreScoreState>(PRESCORE)!;
      for (let i = 0; i < nodes.length; i++) scores[i] = scoreOn(s, pod, nodes[i]!);
    },
    normalizeScore(state, _pod, nodes, scores) {
      const s = state.read<PreScoreState>(PRESCORE);
      if (!s) return;
      let min = Infinity;
      let max = 0;
      for (let i = 0; i < scores.length; i++) {
        if (s.ignored.has(nodes[i]!.name)) continue;
        if (scores[i]! < min) min = scores[i]!;
        if (scores[i]! > max) max = scores[i]!;
      }
      for (let i = 0; i < scores.length; i++) {
        if (s.ignored.has(nodes[i]!.name)) scores[i] = 0;
        else if (max === 0) scores[i] = MAX_NODE_SCORE;
        else scores[i] = Math.trunc((MAX_NODE_SCORE * (max + min - scores[i]!)) / max);
      }
    },
  };
}
