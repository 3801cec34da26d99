/**
 * NodeUnschedulable: a cordoned node (spec.unschedulable) takes only pods that tolerate the
 * node.kubernetes.io/unschedulable:NoSchedule taint.
 * Upstream: pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable.go
 */
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
  };
}
