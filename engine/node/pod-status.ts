/**
 * The pod status the kubelet posts (pkg/kubelet/kubelet_pods.go generateAPIPodStatus and the
 * status manager): phase, pod and host IPs, container statuses (state, lastState,
 * restartCount, ready, started) and the Initialized, ContainersReady and Ready conditions.
 */
import type { ClusterContext } from '../api/context.js';
import { setCondition } from '../api/pod-lifecycle.js';
import type { ContainerStatus, Node } from '../api/types.js';
import type { ContainerRecord, PodRecord } from './pod-record.js';

/** Pod Ready: every container running and, where it has a readiness probe, passing it. */
export function podReady(record: PodRecord): boolean {
  return record.state === 'running' && record.containers.every((c) => containerReady(c));
}

function containerReady(c: ContainerRecord): boolean {
  return c.state === 'running' && (c.readiness?.result ?? true);
}

function containerStatus(c: ContainerRecord): ContainerStatus {
  const state =
    c.state === 'running'
      ? { running: { startedAt: c.startedAt! } }
      : c.state === 'waiting'
        ? { waiting: { reason: c.waitingReason ?? 'ContainerCreating', ...(c.waitingMessage && { message: c.waitingMessage }) } }
        : { terminated: { ...c.last! } };
  const lastState = c.state !== 'terminated' && c.last ? { terminated: { ...c.last } } : undefined;
  return {
    name: c.name,
    image: c.image,
    ready: containerReady(c),
    started: c.state === 'running',
    restartCount: c.restartCount,
    state,
    ...(lastState && { lastState }),
  };
}

/** Posts the pod's status as the kubelet of `node` sees it: phase, IPs, container statuses, conditions. */
export function writePodStatus(ctx: ClusterContext, node: Node, record: PodRecord): void {
  const pod = record.pod;
  const now = ctx.sim.now;
  const hostIP = node.status.addresses.find((a) => a.type === 'InternalIP')?.address;
  const ready = podReady(record);
  const statuses = record.containers.map((c) => containerStatus(c));
  const phase = record.state === 'failed' ? 'Failed' : 'Running';
  const ip = record.ip;
  ctx.api.update('Pod', pod.metadata.namespace, pod.metadata.name, (p) => {
    p.status = { ...(p.status ?? { phase: 'Pending' }), phase, podIP: ip, hostIP, startTime: p.status?.startTime ?? now, containerStatuses: statuses };
    setCondition(p, 'Initialized', 'True', now);
    setCondition(p, 'ContainersReady', ready ? 'True' : 'False', now);
    setCondition(p, 'Ready', ready ? 'True' : 'False', now);
  });
}
