/**
 * NodeUnschedulable: a cordoned node (spec.unschedulable) takes only pods that tolerate the
 * node.kubernetes.io/unschedulable:NoSchedule taint.
 * EventsToRegister (queueing hints on): Node/Add and Node/UpdateNodeTaint (an uncordon is
 * classified as UpdateNodeTaint); the hint queues the pod for a node added schedulable or
 * updated from unschedulable to schedulable. (Pod/UpdatePodToleration, for a pending pod's own
 * update, is not registered: kubesim does not route a pending pod's updates to the queue.)
 * Upstream: pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable.go
 *   (Filter, EventsToRegister, isSchedulableAfterNodeChange)
 */
import type { Node } from '../../api/types.js';
import { ActionType } from '../cluster-event.js';
import { tolerated } from '../helpers.js';
import { unresolvable, type Plugin } from '../types.js';

export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';
const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' as const };

export function nodeUnschedulable(): Plugin {
  return {
    name: 'NodeUnschedulable',
    filter(_state, pod, node) {
      if (!node.unschedulable) return null;
      if (tolerated(pod.pod.spec.tolerations, UNSCHEDULABLE_TAINT)) return null;
      return unresolvable(ERR_REASON_UNSCHEDULABLE);
    },
    eventsToRegister: () => [
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeTaint },
        hint(_pod, oldObj, newObj) {
          const before = oldObj as Node | undefined;
          const schedulable = (newObj as Node).spec.unschedulable !== true;
          if (before === undefined) return schedulable ? 'Queue' : 'QueueSkip';
          return before.spec.unschedulable === true && schedulable ? 'Queue' : 'QueueSkip';
        },
      },
    ],
  };
}
