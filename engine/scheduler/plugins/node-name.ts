/**
 * NodeName: a pod that names its node (spec.nodeName) fits only there.
 * Upstream: pkg/scheduler/framework/plugins/nodename/node_name.go
 */
import { unresolvable, type Plugin } from '../types.js';

export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

export function nodeName(): Plugin {
  return {
    name: 'NodeName',
    filter(_state, pod, node) {
      const wanted = pod.pod.spec.nodeName;
      return !wanted || wanted === node.name ? null : unresolvable(ERR_REASON_NODE_NAME);
    },
  };
}
