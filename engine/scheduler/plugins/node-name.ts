/**
 * NodeName: a pod that names its node (spec.nodeName) fits only there.
 * EventsToRegister (queueing hints on): Node/Add, without a hint (always Queue); the queue adds
 * Node/UpdateNodeTaint (queueing-hints.ts). In kubesim a pod with spec.nodeName is already
 * bound, so this filter rejects only in `kubesim schedule`'s what-ifs.
 * Upstream: pkg/scheduler/framework/plugins/nodename/node_name.go (Filter, EventsToRegister)
 */
import { ActionType } from '../cluster-event.js';
import { unresolvable, type Plugin } from '../types.js';

export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

export function nodeName(): Plugin {
  return {
    name: 'NodeName',
    filter(_state, pod, node) {
      const wanted = pod.pod.spec.nodeName;
      return !wanted || wanted === node.name ? null : unresolvable(ERR_REASON_NODE_NAME);
    },
    eventsToRegister: () => [{ event: { resource: 'Node', actionType: ActionType.Add } }],
  };
}
