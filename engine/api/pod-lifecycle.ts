/**
 * Pod facts and the graceful-deletion write, shared by controllers, kubectl and the kubelet.
 */
import type { ClusterContext } from './context.js';
import type { WriteResult } from './store.js';
import type { Pod, PodCondition } from './types.js';

export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export function isTerminating(pod: Pod): boolean {
  return pod.metadata.deletionTimestamp !== undefined;
}

/** A pod a controller still counts: not being deleted and not finished (controller.IsPodActive). */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return !isTerminating(pod) && phase !== 'Succeeded' && phase !== 'Failed';
}

export function setCondition(pod: Pod, type: PodCondition['type'], status: PodCondition['status'], now: number): void {
  pod.status ??= { phase: 'Pending' };
  const conditions = (pod.status.conditions ??= []);
  const existing = conditions.find((c) => c.type === type);
  if (existing) {
    if (existing.status !== status) {
      existing.status = status;
      existing.lastTransitionTime = now;
    }
  } else {
    conditions.push({ type, status, lastTransitionTime: now });
  }
}

/**
 * `DELETE pod` as the API server does it: a pod never bound to a node is removed at once;
 * a bound pod gets deletionTimestamp = now + grace period and stays until its kubelet has
 * stopped the containers and confirms (pkg/registry/core/pod/strategy.go CheckGracefulDelete).
 * `done` hears the write's result; `resourceVersion` is a DeleteOptions precondition (bound pods).
 */
export function deletePod(ctx: ClusterContext, pod: Pod, gracePeriodSeconds?: number, done?: (result: WriteResult) => void, resourceVersion?: string): void {
  const { api, sim } = ctx;
  const ns = pod.metadata.namespace;
  const name = pod.metadata.name;
  if (!pod.spec.nodeName) {
    api.delete('Pod', ns, name, done);
    return;
  }
  const grace =
    gracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? ctx.defaults.kubelet.terminationGracePeriodSeconds;
  api.update('Pod', ns, name, (p) => {
    if (p.metadata.deletionTimestamp !== undefined) return false;
    p.metadata.deletionTimestamp = sim.now + grace;
    p.metadata.deletionGracePeriodSeconds = grace;
  }, done, resourceVersion);
}
