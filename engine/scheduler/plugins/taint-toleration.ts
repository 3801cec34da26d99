/**
 * TaintToleration.
 *  - Filter: the first NoSchedule/NoExecute taint the pod does not tolerate rejects the node.
 *  - Score: the number of PreferNoSchedule taints not tolerated by the pod's tolerations whose
 *    effect is PreferNoSchedule or empty; normalized reversed (fewest taints = 100).
 * Upstream: pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go
 */
import type { Toleration } from '../../api/types.js';
import { defaultNormalizeScore, findUntoleratedTaint, tolerated } from '../helpers.js';
import type { NodeInfo } from '../node-info.js';
import { MAX_NODE_SCORE, unresolvable, type Plugin } from '../types.js';

const KEY = 'PreScoreTaintToleration';

/** countIntolerableTaintsPreferNoSchedule. */
function countIntolerable(node: NodeInfo, prefer: readonly Toleration[]): number {
  if (node.preferNoScheduleTaints.length === 0) return 0;
  let count = 0;
  for (const taint of node.preferNoScheduleTaints) if (!tolerated(prefer as Toleration[], taint)) count++;
  return count;
}

export function taintToleration(): Plugin {
  return {
    name: 'TaintToleration',
    filter(_state, pod, node) {
      if (node.hardTaints.length === 0) return null;
      const taint = findUntoleratedTaint(node.hardTaints, pod.pod.spec.tolerations);
      if (!taint) return null;
      return unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
    },
    preScore(state, pod) {
      const prefer = (pod.pod.spec.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
      state.write(KEY, prefer);
      return null;
    },
    score(state, _pod, node) {
      return countIntolerable(node, state.read<Toleration[]>(KEY) ?? []);
    },
    scoreNodes(state, _pod, nodes, scores) {
      const prefer = state.read<Toleration[]>(KEY) ?? [];
      for (let i = 0; i < nodes.length; i++) scores[i] = countIntolerable(nodes[i]!, prefer);
    },
    normalizeScore(_state, _pod, _nodes, scores) {
      defaultNormalizeScore(MAX_NODE_SCORE, true, scores);
    },
  };
}
