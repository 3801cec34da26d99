/**
 * NodePorts: host ports the pod asks for must be free on the node for the same protocol; a
 * port bound on 0.0.0.0 conflicts with every address and vice versa (HostPortInfo.CheckConflict).
 * Upstream: pkg/scheduler/framework/plugins/nodeports/node_ports.go
 */
import { SKIP, unschedulable, type Plugin } from '../types.js';

export const ERR_REASON_PORTS = "node(s) didn't have free ports for the requested pod ports";
const ANY = '0.0.0.0';

export function nodePorts(): Plugin {
  return {
    name: 'NodePorts',
    preFilter(_state, pod) {
      return pod.hostPorts.length === 0 ? SKIP : null;
    },
    filter(_state, pod, node) {
      for (const want of pod.hostPorts) {
        const used = node.usedPorts.get(`${want.protocol}/${want.port}`);
        if (!used) continue;
        if (want.hostIP === ANY || used.includes(ANY) || used.includes(want.hostIP)) return unschedulable(ERR_REASON_PORTS);
      }
      return null;
    },
  };
}
