/**
 * How pods leave a node. Graceful termination of a pod being deleted (the kubelet's killPod):
 * SIGTERM at once, SIGKILL at the deletion timestamp (= deletion time +
 * terminationGracePeriodSeconds), then the IP is released and the pod removed from the API
 * server. And clean-up of a pod the API server no longer has: its timers cancelled, its
 * containers killed, its IP released.
 */
import type { ClusterContext } from '../api/context.js';
import type { NodeIpam } from '../network/ipam.js';
import type { RestartBackoff } from './backoff.js';
import type { ContainerRuntime } from './container-runtime.js';
import { cancelPodTimers, type PodRecord } from './pod-record.js';

export class PodTermination {
  constructor(
    private readonly ctx: ClusterContext,
    private readonly runtime: ContainerRuntime,
    private readonly ipam: NodeIpam,
    private readonly backoff: RestartBackoff,
    /** The kubelet's pods, by uid: a pod is removed once it is gone. */
    private readonly pods: Map<string, PodRecord>,
  ) {}

  /** The pod has a deletion timestamp: stop its containers gracefully, then delete it for good. */
  terminate(uid: string, record: PodRecord): void {
    const wasRunning = record.state === 'running';
    record.state = 'terminating';
    cancelPodTimers(this.ctx.sim, record);
    const pod = record.pod;
    const running = record.containers.filter((c) => c.state === 'running');
    if (!wasRunning || running.length === 0) {
      this.finish(uid, record);
      return;
    }
    for (const c of running) this.ctx.event('Normal', 'Killing', pod, `Stopping container ${c.name}`);
    const killAt = Math.max(this.ctx.sim.now, pod.metadata.deletionTimestamp!);
    record.kill = this.ctx.sim.schedule(killAt, () => {
      record.kill = undefined;
      this.runtime.kill(pod);
      this.finish(uid, record);
    });
    // A hung or half-down application does not exit on SIGTERM: it is killed at the grace period.
    if (record.app !== 'up') return;
    this.runtime.terminate(pod, () => {
      if (record.kill === undefined) return;
      this.ctx.sim.cancel(record.kill);
      record.kill = undefined;
      this.finish(uid, record);
    });
  }

  /** Containers are gone: release the IP and remove the pod object (the kubelet's final, grace-0 delete). */
  private finish(uid: string, record: PodRecord): void {
    if (record.ip) this.ipam.release(record.ip);
    record.ip = undefined;
    this.backoff.forget(`${uid}/`);
    this.ctx.api.delete('Pod', record.pod.metadata.namespace, record.pod.metadata.name);
    this.pods.delete(uid);
  }

  /** The pod is gone from the API server: forget it, killing what still serves. */
  cleanUp(uid: string, record: PodRecord): void {
    const wasServing = record.state === 'running' && record.app === 'up';
    cancelPodTimers(this.ctx.sim, record);
    if (wasServing) this.runtime.kill(record.pod);
    if (record.ip) this.ipam.release(record.ip);
    this.backoff.forget(`${uid}/`);
    this.pods.delete(uid);
  }
}
