/**
 * NodePorts: host ports the pod asks for must be free on the node for the same protocol; a
 * port bound on 0.0.0.0 conflicts with every address and vice versa (HostPortInfo.CheckConflict).
 * EventsToRegister (queueing hints on): Pod/Delete, with a hint that queues the pod only when
 * the deleted pod was bound and held a host port this pod wants; Node/Add without a hint (the
 * queue adds Node/UpdateNodeTaint, queueing-hints.ts). Pod updates cannot change ports.
 * Upstream: pkg/scheduler/framework/plugins/nodeports/node_ports.go (Filter, fitsPorts,
 * EventsToRegister, isSchedulableAfterPodDeleted)
 */
import { ActionType } from '../cluster-event.js';
import type { HostPort, PodInfo } from '../node-info.js';
import { SKIP, unschedulable, type Plugin } from '../types.js';

export const ERR_REASON_PORTS = "node(s) didn't have free ports for the requested pod ports";
const ANY = '0.0.0.0';

/** fitsPorts negated: some wanted port conflicts with `used` (`protocol/port` -> host IPs). */
function conflicts(wanted: readonly HostPort[], used: ReadonlyMap<string, readonly string[]>): boolean {
  for (const want of wanted) {
    const ips = used.get(`${want.protocol}/${want.port}`);
    if (!ips) continue;
    if (want.hostIP === ANY || ips.includes(ANY) || ips.includes(want.hostIP)) return true;
  }
  return false;
}

export function nodePorts(): Plugin {
  return {
    name: 'NodePorts',
    preFilter(_state, pod) {
      return pod.hostPorts.length === 0 ? SKIP : null;
    },
    filter(_state, pod, node) {
      return conflicts(pod.hostPorts, node.usedPorts) ? unschedulable(ERR_REASON_PORTS) : null;
    },
    eventsToRegister: () => [
      {
        event: { resource: 'Pod', actionType: ActionType.Delete },
        hint(pod, oldObj) {
          const deleted = oldObj as PodInfo;
          if (!deleted.nodeName || deleted.hostPorts.length === 0) return 'QueueSkip';
          const inUse = new Map<string, string[]>();
          for (const p of deleted.hostPorts) {
            const key = `${p.protocol}/${p.port}`;
            inUse.set(key, [...(inUse.get(key) ?? []), p.hostIP]);
          }
          return conflicts(pod.hostPorts, inUse) ? 'Queue' : 'QueueSkip';
        },
      },
      { event: { resource: 'Node', actionType: ActionType.Add } },
    ],
  };
}
