/**
 * NodeAffinity.
 *  - Filter: the profile's addedAffinity, then spec.nodeSelector (every pair) and the required
 *    node affinity terms (ORed terms of ANDed requirements, In/NotIn/Exists/DoesNotExist/Gt/Lt,
 *    matchFields on metadata.name), each failure UnschedulableAndUnresolvable with its own
 *    reason. PreFilter skips pods that have none of these. When every required term names
 *    nodes by `matchFields` metadata.name In (as the DaemonSet controller pins its pods), it
 *    returns those names (PreFilterResult.NodeNames: the union over terms of each term's
 *    intersection), so Filter runs on those nodes only; terms that together name no node
 *    reject the pod, UnschedulableAndUnresolvable "pod affinity terms conflict".
 *  - Score: the sum of the weights of the preferred terms the node matches, normalized by the
 *    highest (DefaultNormalizeScore). PreScore skips pods without preferred terms.
 *  - EventsToRegister (queueing hints on): Node/Add and Node/UpdateNodeLabel (the queue adds
 *    Node/UpdateNodeTaint, queueing-hints.ts); the hint queues the pod when the node (now)
 *    matches the profile's addedAffinity and the pod's required node affinity, and, for an
 *    update, did not match the pod's before.
 * Upstream: pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go (EventsToRegister and
 * isSchedulableAfterNodeChange as of kubernetes#127444, 1.32) and
 * k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go
 */
import type { Labels, Node } from '../../api/types.js';
import { ActionType } from '../cluster-event.js';
import { defaultNormalizeScore, nodeSelectorTermMatches, nodeSelectorTermsMatch } from '../helpers.js';
import type { NodeInfo, PodInfo } from '../node-info.js';
import { schedulingFields, type Affinity, type NodeSelectorTerm } from '../pod-spec.js';
import { MAX_NODE_SCORE, SKIP, unresolvable, type Plugin } from '../types.js';

export const ERR_REASON_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";
/** errReasonConflict: the required terms' metadata.name fields leave no node. */
export const ERR_REASON_CONFLICT = 'pod affinity terms conflict';
/** errReasonEnforced: the node fails the profile's addedAffinity (checked first). */
export const ERR_REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity";

export interface NodeAffinityArgs {
  addedAffinity?: Affinity['nodeAffinity'];
}

/** The pod's required node affinity (nodeaffinity.GetRequiredNodeAffinity): nodeSelector and required terms. */
export function requiredNodeAffinityMatches(pod: PodInfo, labels: Labels, nodeName: string): boolean {
  const selector = pod.pod.spec.nodeSelector;
  if (selector) for (const k in selector) if (labels[k] !== selector[k]) return false;
  const terms = schedulingFields(pod.pod).affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  return terms === undefined || nodeSelectorTermsMatch(terms, labels, nodeName);
}

/**
 * The nodes the required terms confine the pod to (NodeAffinity.PreFilter): per term the
 * intersection of its metadata.name In requirements; undefined (all nodes) as soon as a term
 * has none, since terms are ORed; else the union over terms, which may be empty.
 */
export function requiredNodeNames(terms: readonly NodeSelectorTerm[]): Set<string> | undefined {
  let union: Set<string> | undefined;
  for (const t of terms) {
    let inTerm: Set<string> | undefined;
    for (const r of t.matchFields ?? []) {
      if (r.key !== 'metadata.name' || r.operator !== 'In') continue;
      const values = new Set(r.values ?? []);
      inTerm = inTerm === undefined ? values : new Set([...inTerm].filter((v) => values.has(v)));
    }
    if (inTerm === undefined) return undefined;
    union ??= new Set();
    for (const v of inTerm) union.add(v);
  }
  return union;
}

type PreferredTerm = { weight: number; preference: NodeSelectorTerm };

function preferredScore(terms: readonly PreferredTerm[], node: NodeInfo): number {
  let score = 0;
  for (const t of terms) if (nodeSelectorTermMatches(t.preference, node.labels, node.name)) score += t.weight;
  return score;
}

export function nodeAffinity(args: NodeAffinityArgs = {}): Plugin {
  const addedRequired = args.addedAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  const addedPreferred = args.addedAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  const KEY = 'PreScoreNodeAffinity';
  const labelsOf = (node: Node): Labels => node.metadata.labels ?? {};
  return {
    name: 'NodeAffinity',
    eventsToRegister: () => [
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel },
        hint(pod, oldObj, newObj) {
          const after = newObj as Node;
          const name = after.metadata.name;
          if (addedRequired !== undefined && !nodeSelectorTermsMatch(addedRequired, labelsOf(after), name)) return 'QueueSkip';
          if (!requiredNodeAffinityMatches(pod, labelsOf(after), name)) return 'QueueSkip';
          if (oldObj === undefined) return 'Queue';
          return requiredNodeAffinityMatches(pod, labelsOf(oldObj as Node), name) ? 'QueueSkip' : 'Queue';
        },
      },
    ],
    preFilter(state, pod) {
      const na = schedulingFields(pod.pod).affinity?.nodeAffinity;
      const hasSelector = pod.pod.spec.nodeSelector !== undefined && Object.keys(pod.pod.spec.nodeSelector).length > 0;
      const required = na?.requiredDuringSchedulingIgnoredDuringExecution;
      if (!hasSelector && !required && addedRequired === undefined) return SKIP;
      // NodeAffinity.PreFilter: only the pod's own terms narrow (addedAffinity is left to Filter).
      if (!required || required.nodeSelectorTerms.length === 0) return null;
      const names = requiredNodeNames(required.nodeSelectorTerms);
      if (names === undefined) return null;
      if (names.size === 0) return unresolvable(ERR_REASON_CONFLICT);
      state.preFilterNodeNames = names;
      return null;
    },
    filter(_state, pod, node) {
      if (addedRequired !== undefined && !nodeSelectorTermsMatch(addedRequired, node.labels, node.name)) return unresolvable(ERR_REASON_ENFORCED);
      return requiredNodeAffinityMatches(pod, node.labels, node.name) ? null : unresolvable(ERR_REASON_NODE_AFFINITY);
    },
    preScore(state, pod) {
      const own = schedulingFields(pod.pod).affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
      const terms: { weight: number; preference: NodeSelectorTerm }[] = [...addedPreferred, ...own].filter((t) => t.weight !== 0);
      if (terms.length === 0) return SKIP;
      state.write(KEY, terms);
      return null;
    },
    score(state, _pod, node) {
      return preferredScore(state.read<PreferredTerm[]>(KEY) ?? [], node);
    },
    scoreNodes(state, _pod, nodes, scores) {
      const terms = state.read<PreferredTerm[]>(KEY) ?? [];
      for (let i = 0; i < nodes.length; i++) scores[i] = preferredScore(terms, nodes[i]!);
    },
    normalizeScore(_state, _pod, _nodes, scores) {
      defaultNormalizeScore(MAX_NODE_SCORE, false, scores);
    },
  };
}
