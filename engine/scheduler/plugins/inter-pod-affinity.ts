/**
 * InterPodAffinity.
 *  - PreFilter/Filter: counts, per topology pair (key, value), (a) existing pods whose required
 *    anti-affinity terms match the incoming pod, (b) existing pods matching all of the incoming
 *    pod's required affinity terms, (c) existing pods matching each of its required anti-affinity
 *    terms. A node fails if it lacks an affinity term's topology key or has no matching pod in
 *    that domain (unless no pod anywhere matches and the pod matches its own terms: the first
 *    pod of a self-affine group), if an anti-affinity domain holds a match, or if any of its
 *    labels is a domain an existing pod's anti-affinity forbids.
 *  - PreScore/Score/NormalizeScore: Σ weights of preferred (anti-)affinity terms, of the incoming
 *    pod against existing pods and of existing pods against the incoming one (required affinity
 *    of existing pods counts hardPodAffinityWeight), summed per topology domain; normalized as
 *    100 * (score - min) / (max - min). PreScore skips when nothing matched.
 *  - EventsToRegister: Pod Add/UpdatePodLabel/Delete, queueing the pod when a bound pod that
 *    matches all its required affinity terms arrives (or is relabelled to match them), or one
 *    that matches all its required anti-affinity terms leaves (or is relabelled not to);
 *    Node Add/UpdateNodeLabel/UpdateNodeTaint, queueing it when a node brings or changes an
 *    affinity term's topology key, or for anti-affinity when a node is added, loses the key or
 *    changes its value.
 * Upstream: pkg/scheduler/framework/plugins/interpodaffinity/{filtering,scoring,plugin}.go
 *   (EventsToRegister, isSchedulableAfterPodChange, podMatchesAllAffinityTerms;
 *   isSchedulableAfterNodeChange as of kubernetes#127470, 1.32)
 */
import { matchesSelector } from '../../api/labels.js';
import type { Labels, Node } from '../../api/types.js';
import { ActionType } from '../cluster-event.js';
import { termMatchesPod } from '../helpers.js';
import type { AffinityTerm, NodeInfo, PodInfo } from '../node-info.js';
import type { Snapshot } from '../snapshot.js';
import { MAX_NODE_SCORE, SKIP, unresolvable, unschedulable, type Plugin } from '../types.js';

export const ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";

export interface InterPodAffinityArgs {
  hardPodAffinityWeight?: number;
  ignorePreferredTermsOfExistingPods?: boolean;
}

/** topologyToMatchedTermCount, keyed `key\0value`. */
type PairCounts = Map<string, number>;

function pair(key: string, value: string): string {
  return `${key}\0${value}`;
}

function update(m: PairCounts, labels: Labels, key: string, delta: number): void {
  if (!Object.hasOwn(labels, key)) return;
  const p = pair(key, labels[key]!);
  const n = (m.get(p) ?? 0) + delta;
  if (n === 0) m.delete(p);
  else m.set(p, n);
}

function matchesAllTerms(terms: readonly AffinityTerm[], pod: PodInfo, snapshot: Snapshot): boolean {
  if (terms.length === 0) return false;
  for (const t of terms) if (!termMatchesPod(t, pod, snapshot)) return false;
  return true;
}

interface PreFilterState {
  existingAnti: PairCounts;
  affinity: PairCounts;
  anti: PairCounts;
  selfMatchesAll: boolean;
}

interface PreScoreState {
  topologyScore: Map<string, number>;
  keys: string[];
}

function scoreOn(s: PreScoreState, node: NodeInfo): number {
  let score = 0;
  for (const k of s.keys) {
    const v = node.labels[k];
    if (v !== undefined) score += s.topologyScore.get(pair(k, v)) ?? 0;
  }
  return score;
}

/**
 * podMatchesAllAffinityTerms as the queueing hints call it: AffinityTerm.Matches with no
 * namespace labels (the terms' namespaceSelector is not resolved there), false for no terms.
 */
function hintMatchesAll(terms: readonly AffinityTerm[], pod: PodInfo): boolean {
  if (terms.length === 0) return false;
  for (const t of terms) {
    const nsSelected = t.namespaces.has(pod.namespace) || (t.nsSelector !== undefined && matchesSelector(t.nsSelector, {}));
    if (!nsSelected || !matchesSelector(t.selector, pod.labels)) return false;
  }
  return true;
}

const PREFILTER = 'PreFilterInterPodAffinity';
const PRESCORE = 'PreScoreInterPodAffinity';

export function interPodAffinity(args: InterPodAffinityArgs = {}): Plugin {
  const hardWeight = args.hardPodAffinityWeight ?? 1;
  const ignoreExisting = args.ignorePreferredTermsOfExistingPods ?? false;
  return {
    name: 'InterPodAffinity',
    eventsToRegister: () => [
      {
        event: { resource: 'Pod', actionType: ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete },
        hint(pod, oldObj, newObj) {
          const before = oldObj as PodInfo | undefined;
          const after = newObj as PodInfo | undefined;
          if ((after && !after.nodeName) || (before && !before.nodeName)) return 'QueueSkip';
          const terms = pod.requiredAffinity;
          const anti = pod.requiredAntiAffinity;
          if (before && after) {
            if (!hintMatchesAll(terms, before) && hintMatchesAll(terms, after)) return 'Queue';
            return hintMatchesAll(anti, before) && !hintMatchesAll(anti, after) ? 'Queue' : 'QueueSkip';
          }
          if (after) return hintMatchesAll(terms, after) ? 'Queue' : 'QueueSkip';
          return hintMatchesAll(anti, before!) ? 'Queue' : 'QueueSkip';
        },
      },
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint },
        hint(pod, oldObj, newObj) {
          const was = (oldObj as Node | undefined)?.metadata.labels ?? {};
          const is = (newObj as Node).metadata.labels ?? {};
          const added = oldObj === undefined;
          for (const t of pod.requiredAffinity) {
            const k = t.topologyKey;
            if (added) {
              if (Object.hasOwn(is, k)) return 'Queue';
              continue;
            }
            if (Object.hasOwn(is, k) && (!Object.hasOwn(was, k) || was[k] !== is[k])) return 'Queue';
          }
          for (const t of pod.requiredAntiAffinity) {
            // Any new node may do: one without the key always takes a pod with anti-affinity.
            if (added) return 'Queue';
            const k = t.topologyKey;
            if (Object.hasOwn(was, k) && (!Object.hasOwn(is, k) || was[k] !== is[k])) return 'Queue';
          }
          return 'QueueSkip';
        },
      },
    ],
    preFilter(state, pod) {
      const snap = state.snapshot;
      const existingAnti: PairCounts = new Map();
      for (const node of snap.havePodsWithRequiredAntiAffinity()) {
        for (const existing of node.pods) {
          for (const t of existing.requiredAntiAffinity) if (termMatchesPod(t, pod, snap)) update(existingAnti, node.labels, t.topologyKey, 1);
        }
      }
      const affinity: PairCounts = new Map();
      const anti: PairCounts = new Map();
      if (pod.requiredAffinity.length || pod.requiredAntiAffinity.length) {
        for (const node of snap.nodes) {
          for (const existing of node.pods) {
            if (matchesAllTerms(pod.requiredAffinity, existing, snap)) for (const t of pod.requiredAffinity) update(affinity, node.labels, t.topologyKey, 1);
            for (const t of pod.requiredAntiAffinity) if (termMatchesPod(t, existing, snap)) update(anti, node.labels, t.topologyKey, 1);
          }
        }
      }
      if (existingAnti.size === 0 && pod.requiredAffinity.length === 0 && pod.requiredAntiAffinity.length === 0) return SKIP;
      state.write(PREFILTER, { existingAnti, affinity, anti, selfMatchesAll: matchesAllTerms(pod.requiredAffinity, pod, snap) } satisfies PreFilterState);
      return null;
    },
    filter(state, pod, node) {
      const s = state.read<PreFilterState>(PREFILTER);
      if (!s) return null;
      // satisfyPodAffinity
      let podsExist = true;
      for (const t of pod.requiredAffinity) {
        const v = node.labels[t.topologyKey];
        if (v === undefined) return unresolvable(ERR_REASON_AFFINITY);
        if ((s.affinity.get(pair(t.topologyKey, v)) ?? 0) <= 0) podsExist = false;
      }
      if (!podsExist && !(s.affinity.size === 0 && s.selfMatchesAll)) return unresolvable(ERR_REASON_AFFINITY);
      // satisfyPodAntiAffinity
      if (s.anti.size > 0) {
        for (const t of pod.requiredAntiAffinity) {
          const v = node.labels[t.topologyKey];
          if (v !== undefined && (s.anti.get(pair(t.topologyKey, v)) ?? 0) > 0) return unschedulable(ERR_REASON_ANTI_AFFINITY);
        }
      }
      // satisfyExistingPodsAntiAffinity
      if (s.existingAnti.size > 0) {
        for (const k in node.labels) if ((s.existingAnti.get(pair(k, node.labels[k]!)) ?? 0) > 0) return unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY);
      }
      return null;
    },
    preScore(state, pod) {
      const snap = state.snapshot;
      const hasConstraints = pod.preferredAffinity.length > 0 || pod.preferredAntiAffinity.length > 0;
      if (ignoreExisting && !hasConstraints) return SKIP;
      const nodes: NodeInfo[] = hasConstraints ? snap.nodes : snap.havePodsWithAffinity();
      const topologyScore = new Map<string, number>();
      const process = (term: AffinityTerm, podToCheck: PodInfo, node: NodeInfo, weight: number): void => {
        const v = node.labels[term.topologyKey];
        if (v === undefined || !termMatchesPod(term, podToCheck, snap)) return;
        const p = pair(term.topologyKey, v);
        topologyScore.set(p, (topologyScore.get(p) ?? 0) + weight);
      };
      for (const node of nodes) {
        for (const existing of node.pods) {
          if (!hasConstraints && !existing.hasAffinity) continue;
          for (const t of pod.preferredAffinity) process(t, existing, node, t.weight);
          for (const t of pod.preferredAntiAffinity) process(t, existing, node, -t.weight);
          if (hardWeight > 0) for (const t of existing.requiredAffinity) process(t, pod, node, hardWeight);
          for (const t of existing.preferredAffinity) process(t, pod, node, t.weight);
          for (const t of existing.preferredAntiAffinity) process(t, pod, node, -t.weight);
        }
      }
      if (topologyScore.size === 0) return SKIP;
      const keys = new Set<string>();
      for (const p of topologyScore.keys()) keys.add(p.slice(0, p.indexOf('\0')));
      state.write(PRESCORE, { topologyScore, keys: [...keys] });
      return null;
    },
    score(state, _pod, node) {
      return scoreOn(state.read<PreScoreState>(PRESCORE)!, node);
    },
    scoreNodes(state, _pod, nodes, scores) {
      const s = state.read<PreScoreState>(PRESCORE)!;
      for (let i = 0; i < nodes.length; i++) scores[i] = scoreOn(s, nodes[i]!);
    },
    normalizeScore(state, _pod, _nodes, scores) {
      if (!state.read(PRESCORE)) return;
      let min = Infinity;
      let max = -Infinity;
      for (const s of scores) {
        if (s > max) max = s;
        if (s < min) min = s;
      }
      const diff = max - min;
      for (let i = 0; i < scores.length; i++) scores[i] = diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((scores[i]! - min) / diff)) : 0;
    },
  };
}
