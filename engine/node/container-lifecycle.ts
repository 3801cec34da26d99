/**
 * The containers of the pods on one node, from start-up to restart (what the kubelet's
 * runtime manager does in pkg/kubelet/kuberuntime/kuberuntime_manager.go SyncPod):
 *  - start-up: images pulled one after another, the sandbox gets a pod IP, the containers start
 *    after the sampled start time, the application comes up;
 *  - a started container gets its probe workers (probe-workers.ts) and, for the first container
 *    of a pod with the `serving.kubesim.dev/mean-time-to-crash` annotation, a crash clock;
 *  - an exited container (crash or liveness kill) is restarted per `restartPolicy`, after the
 *    CrashLoopBackOff back-off (backoff.ts) and a new image check and start.
 */
import type { ClusterContext } from '../api/context.js';
import type { Node, Pod } from '../api/types.js';
import { parseDuration } from '../core/duration.js';
import type { NodeIpam } from '../network/ipam.js';
import { goDuration, type RestartBackoff } from './backoff.js';
import type { ImageManager } from './image-manager.js';
import type { KubeletShared } from './kubelet-shared.js';
import { cancelContainerTimers, type ContainerRecord, type PodRecord } from './pod-record.js';
import { writePodStatus } from './pod-status.js';
import { startProbeWorkers } from './probe-workers.js';

/** See Kubelet.state. */
export type KubeletState = 'running' | 'stopped' | 'down';

/** The annotation giving a pod's mean time to crash (a duration); see DEFAULTS.kubelet. */
export function meanTimeToCrash(pod: Pod, annotation: string): number | undefined {
  const text = pod.metadata.annotations?.[annotation];
  if (text === undefined) return undefined;
  try {
    const seconds = parseDuration(text);
    return seconds > 0 ? seconds : undefined;
  } catch {
    return undefined;
  }
}

export class ContainerLifecycle {
  constructor(
    private readonly ctx: ClusterContext,
    private readonly shared: KubeletShared,
    private readonly node: Node,
    private readonly ipam: NodeIpam,
    private readonly images: ImageManager,
    private readonly backoff: RestartBackoff,
    /** The kubelet's state, read when a timer fires. */
    private readonly kubeletState: () => KubeletState,
  ) {}

  /** Starts a pod newly bound to the node: image pulls, then its sandbox and containers. */
  startPod(record: PodRecord): void {
    const containers = record.containers;
    // Images are pulled one after another (the kubelet's default --serialize-image-pulls=true).
    const pullNext = (i: number): void => {
      if (record.state !== 'starting') return;
      if (i === containers.length) {
        this.createContainers(record);
        return;
      }
      this.images.ensure(record.pod, containers[i]!.image, containers[i]!.pullPolicy, () => pullNext(i + 1));
    };
    pullNext(0);
  }

  private createContainers(record: PodRecord): void {
    const pod = record.pod;
    const ip = this.ipam.allocate();
    if (!ip) {
      this.ctx.event('Warning', 'FailedCreatePodSandBox', pod, `Failed to create pod sandbox: no IP addresses available in range set ${this.ipam.podCIDR}`);
      return;
    }
    record.ip = ip;
    const delay = Math.max(0, this.shared.containerStart(this.shared.rng));
    record.step = this.ctx.sim.after(delay, () => {
      record.step = undefined;
      if (record.state !== 'starting') return;
      record.state = 'running';
      for (const c of record.containers) this.containerStarted(record, c);
      record.app = 'up';
      this.shared.runtime.start(pod, this.node.metadata.name);
      this.writeStatus(record);
    });
  }

  /** A container is running: events, probe workers and the crash clock start. Status is written by the caller. */
  private containerStarted(record: PodRecord, c: ContainerRecord): void {
    const pod = record.pod;
    const now = this.ctx.sim.now;
    this.ctx.event('Normal', 'Created', pod, `Created container ${c.name}`);
    this.ctx.event('Normal', 'Started', pod, `Started container ${c.name}`);
    c.state = 'running';
    c.startedAt = now;
    c.waitingReason = c.waitingMessage = undefined;
    const instance = ++c.instance;
    startProbeWorkers(this.ctx, record, c, instance, {
      kubeletRunning: () => this.kubeletState() === 'running',
      readinessChanged: () => this.writeStatus(record),
      livenessFailed: () => this.exited(record, c, 137, 'Error'),
    });
    const mttc = c === record.containers[0] ? meanTimeToCrash(pod, this.ctx.defaults.kubelet.meanTimeToCrashAnnotation) : undefined;
    if (mttc !== undefined) {
      const after = -Math.log(1 - this.shared.crashRng.float()) * mttc;
      c.timers.push(
        this.ctx.sim.after(after, () => {
          if (c.instance === instance && c.state === 'running') this.exited(record, c, 1, 'Error');
        }),
      );
    }
  }

  /** A container exited (crash or liveness kill): in-flight requests are reset, then the restart policy decides. */
  exited(record: PodRecord, c: ContainerRecord, exitCode: number, reason: string): void {
    const now = this.ctx.sim.now;
    cancelContainerTimers(this.ctx.sim, c);
    c.state = 'terminated';
    c.last = { exitCode, reason, startedAt: c.startedAt, finishedAt: now };
    if (record.app === 'up') this.shared.runtime.kill(record.pod);
    record.app = 'down';
    if (this.kubeletState() === 'running') this.afterExit(record, c);
    this.writeStatus(record);
  }

  /** The restart policy and the back-off (kuberuntime_manager.go computePodActions, doBackOff). */
  afterExit(record: PodRecord, c: ContainerRecord): void {
    const policy = record.pod.spec.restartPolicy ?? 'Always';
    const restart = policy === 'Always' || (policy === 'OnFailure' && c.last!.exitCode !== 0);
    if (!restart) {
      if (record.containers.every((x) => x.state === 'terminated')) record.state = 'failed';
      return;
    }
    const pod = record.pod;
    const key = `${pod.metadata.uid}/${c.name}`;
    const finishedAt = c.last!.finishedAt;
    const now = this.ctx.sim.now;
    const wait = this.backoff.remaining(key, finishedAt, now);
    if (wait === 0) return this.restartContainer(record, c, key, finishedAt);
    const podName = `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
    c.state = 'waiting';
    c.waitingReason = 'CrashLoopBackOff';
    c.waitingMessage = `back-off ${goDuration(this.backoff.get(key))} restarting failed container=${c.name} pod=${podName}`;
    this.ctx.event('Warning', 'BackOff', pod, `Back-off restarting failed container ${c.name} in pod ${podName}`);
    const instance = c.instance;
    c.timers.push(
      this.ctx.sim.after(wait, () => {
        if (c.instance !== instance || record.state !== 'running') return;
        if (this.kubeletState() !== 'running') {
          // Nobody to restart it now; Kubelet.start() does when the kubelet is back.
          c.state = 'terminated';
          return;
        }
        this.restartContainer(record, c, key, finishedAt);
      }),
    );
  }

  private restartContainer(record: PodRecord, c: ContainerRecord, key: string, finishedAt: number): void {
    this.backoff.next(key, finishedAt, this.ctx.sim.now);
    c.state = 'waiting';
    c.waitingReason = 'ContainerCreating';
    c.waitingMessage = undefined;
    const instance = c.instance;
    this.images.ensure(record.pod, c.image, c.pullPolicy, () => {
      if (c.instance !== instance || record.state !== 'running') return;
      const delay = Math.max(0, this.shared.containerStart(this.shared.rng));
      c.timers.push(
        this.ctx.sim.after(delay, () => {
          if (c.instance !== instance || record.state !== 'running' || this.kubeletState() === 'down') return;
          c.restartCount++;
          this.containerStarted(record, c);
          if (record.containers.every((x) => x.state === 'running')) {
            record.app = 'up';
            this.shared.runtime.start(record.pod, this.node.metadata.name);
          }
          this.writeStatus(record);
        }),
      );
    });
  }

  writeStatus(record: PodRecord): void {
    writePodStatus(this.ctx, this.node, record);
  }
}
