/**
 * TaintToleration.
 *  - Filter: the first NoSchedule/NoExecute taint the pod does not tolerate rejects the node.
 *  - Score: the number of PreferNoSchedule taints not tolerated by the pod's tolerations whose
 *    effect is PreferNoSchedule or empty; normalized reversed (fewest taints = 100).
 *  - EventsToRegister (queueing hints on): Node/Add and Node/UpdateNodeTaint; the hint queues the
 *    pod only when the node's NoSchedule/NoExecute taints were not all tolerated before (or the
 *    node is new) and are now. (Pod/UpdatePodToleration, for a pending pod's own update, is not
 *    registered: kubesim does not route a pending pod's updates to the queue.)
 * Upstream: pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go
 *   (EventsToRegister, isSchedulableAfterNodeChange)
 */
import type { Node, Taint, Toleration } from '../../api/types.js';
import { ActionType } from '../cluster-event.js';
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

/** helper.DoNotScheduleTaintsFilterFunc: the taints Filter checks. */
const doNotSchedule = (t: Taint): boolean => t.effect === 'NoSchedule' || t.effect === 'NoExecute';

export function taintToleration(): Plugin {
  return {
    name: 'TaintToleration',
    eventsToRegister: () => [
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeTaint },
        hint(pod, oldObj, newObj) {
          const tolerations = pod.pod.spec.tolerations;
          const wasUntolerated = oldObj === undefined || findUntoleratedTaint((oldObj as Node).spec.taints, tolerations, doNotSchedule) !== undefined;
          const isUntolerated = findUntoleratedTaint((newObj as Node).spec.taints, tolerations, doNotSchedule) !== undefined;
          return wasUntolerated && !isUntolerated ? 'Queue' : 'QueueSkip';
        },
      },
    ],
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
