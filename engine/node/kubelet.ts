/**
 * The kubelet of one node: registers the Node, and for each pod bound to it pulls the images
 * (once per node: a second pod with the same image finds it in the node's image cache), starts
 * the containers through the runtime, reports status (Running, pod IP, conditions), and on
 * deletion runs graceful termination: SIGTERM at once, SIGKILL at the deletion timestamp
 * (= deletion time + terminationGracePeriodSeconds), then removes the pod from the API server.
 *
 * Container lifecycle: readiness and liveness probes (engine/node/prober.ts) against the app
 * model; container crashes (the `serving.kubesim.dev/mean-time-to-crash` annotation, or
 * `kubesim crash pod`) and liveness failures restart the container per `restartPolicy` with
 * the upstream CrashLoopBackOff back-off (engine/node/backoff.ts); `restartCount`, container
 * states (running, waiting CrashLoopBackOff, terminated Error) and lastState in
 * `status.containerStatuses`. The application is one per pod (engine/workload/pod-servers.ts):
 * while any container is down or hung, the pod serves nothing. The PLEG relist delay (1 s)
 * between a container's exit and the kubelet noticing it is not modelled.
 *
 * Timing parameters come from DEFAULTS.kubelet (cited there). Event reasons and messages are
 * the kubelet's own (pkg/kubelet/events/event.go, pkg/kubelet/images/image_manager.go).
 *
 * This class is the coordinator: it owns the pods of the node and reacts to the pod watch and
 * to fault actions; its parts are the Node and Lease writes (node-status.ts), the image manager
 * (image-manager.ts), container start-up, crash and restart (container-lifecycle.ts, with
 * probe-workers.ts), the pod status (pod-status.ts) and termination (termination.ts).
 */
import type { ClusterContext } from '../api/context.js';
import type { Node, Pod } from '../api/types.js';
import { NodeIpam } from '../network/ipam.js';
import { RestartBackoff } from './backoff.js';
import { ContainerLifecycle, type KubeletState } from './container-lifecycle.js';
import { ImageManager } from './image-manager.js';
import type { KubeletShared } from './kubelet-shared.js';
import { registerNode, renewLease, reportNodeReady } from './node-status.js';
import { cancelPodTimers, newPodRecord, type PodRecord } from './pod-record.js';
import { podReady, writePodStatus } from './pod-status.js';
import { PodTermination } from './termination.js';

export { kubeletShared, type KubeletShared } from './kubelet-shared.js';

export class Kubelet {
  private readonly pods = new Map<string, PodRecord>();
  private readonly ipam: NodeIpam;
  private readonly backoff: RestartBackoff;
  private readonly images: ImageManager;
  private readonly containers: ContainerLifecycle;
  private readonly termination: PodTermination;

  constructor(
    private readonly ctx: ClusterContext,
    private readonly shared: KubeletShared,
    readonly node: Node,
  ) {
    this.ipam = new NodeIpam(node.spec.podCIDR!);
    this.backoff = new RestartBackoff({ initial: ctx.defaults.kubelet.crashLoopBackOffInitial, max: ctx.defaults.kubelet.crashLoopBackOffMax });
    this.images = new ImageManager(ctx, shared);
    this.containers = new ContainerLifecycle(ctx, shared, node, this.ipam, this.images, this.backoff, () => this.state);
    this.termination = new PodTermination(ctx, shared.runtime, this.ipam, this.backoff, this.pods);
  }

  /**
   * running: the kubelet works; stopped: the kubelet process is down (containers keep running
   * and serving, but nothing on the node is managed and no heartbeat is sent); down: the whole
   * machine is off (containers gone, its addresses answer nothing).
   */
  state: KubeletState = 'running';

  /** Registers the Node and its Lease, then renews the Lease every quarter of its duration. */
  register(): void {
    registerNode(this.ctx, this.node);
    const { nodeLeaseDurationSeconds, nodeLeaseRenewIntervalFraction } = this.ctx.defaults.kubelet;
    const interval = nodeLeaseDurationSeconds * nodeLeaseRenewIntervalFraction;
    const renew = () => {
      if (this.state === 'running') {
        renewLease(this.ctx, this.node);
        this.syncStatus();
      }
      this.ctx.sim.after(interval, renew);
    };
    this.ctx.sim.after(interval, renew);
  }

  /**
   * The kubelet's periodic status sync (nodeStatusUpdateFrequency, 10 s, the same period as the
   * lease here): a Node the controller marked Unknown while heartbeats were lost is posted
   * Ready again, and running pods it marked not Ready get their readiness back.
   */
  private syncStatus(): void {
    const node = this.ctx.api.get('Node', undefined, this.node.metadata.name);
    if (node && node.status.conditions?.find((c) => c.type === 'Ready')?.status !== 'True') reportNodeReady(this.ctx, this.node);
    for (const record of this.pods.values()) this.repairReadiness(record);
  }

  /** Writes the pod's status again if the API's Ready condition differs from what the kubelet knows. */
  private repairReadiness(record: PodRecord): void {
    if (record.state !== 'running' || !record.ip) return;
    const pod = this.ctx.api.get('Pod', record.pod.metadata.namespace, record.pod.metadata.name);
    if (!pod) return;
    const inApi = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    if (inApi !== podReady(record)) this.writeStatus(record);
  }

  /** The kubelet process stops (a fault action): containers keep running, unmanaged. */
  stop(): void {
    if (this.state === 'running') this.state = 'stopped';
  }

  /** The kubelet starts again: reports Ready and brings the node's pods in line with the API. */
  start(): void {
    if (!this.resume('stopped')) return;
    // Containers that exited while nobody managed them are restarted now (with back-off).
    for (const record of this.pods.values()) {
      if (record.state !== 'running') continue;
      for (const c of record.containers) if (c.state === 'terminated' && c.last) this.containers.afterExit(record, c);
      this.writeStatus(record);
    }
  }

  /** The machine fails: every container is lost with whatever it was doing. */
  fail(): void {
    if (this.state === 'down') return;
    this.state = 'down';
    for (const [uid, record] of this.pods) {
      cancelPodTimers(this.ctx.sim, record);
      if (record.state !== 'starting') this.shared.runtime.lose(record.pod);
      if (record.ip) this.ipam.release(record.ip);
      this.pods.delete(uid);
    }
    this.images.forgetPulls();
  }

  /** The machine boots: the kubelet starts with no container running; images on disk survive. */
  recover(): void {
    this.resume('down');
  }

  /** The kubelet runs again after being `from`: renews its Lease, posts Ready and resyncs its pods. False if it was not `from`. */
  private resume(from: 'stopped' | 'down'): boolean {
    if (this.state !== from) return false;
    this.state = 'running';
    renewLease(this.ctx, this.node);
    reportNodeReady(this.ctx, this.node);
    this.resync();
    return true;
  }

  /** What the kubelet's sync loop does after a restart: every pod bound here, as the API has it now. */
  private resync(): void {
    const name = this.node.metadata.name;
    const inApi = new Map(this.ctx.api.list('Pod').filter((p) => p.spec.nodeName === name).map((p) => [p.metadata.uid!, p]));
    for (const [uid, record] of [...this.pods]) if (!inApi.has(uid)) this.termination.cleanUp(uid, record);
    for (const pod of inApi.values()) {
      const record = this.pods.get(pod.metadata.uid!);
      if (!record && pod.metadata.deletionTimestamp !== undefined) {
        // Its containers are already gone: confirm the deletion.
        this.ctx.api.delete('Pod', pod.metadata.namespace, pod.metadata.name);
        continue;
      }
      this.onPod('MODIFIED', pod);
      // Pods the node lifecycle controller marked not Ready while this kubelet was away.
      const r = this.pods.get(pod.metadata.uid!);
      if (r) this.repairReadiness(r);
    }
  }

  /** Pods on this node that are not being torn down. */
  get runningPods(): number {
    let n = 0;
    for (const r of this.pods.values()) if (r.state !== 'terminating') n++;
    return n;
  }

  onPod(type: 'ADDED' | 'MODIFIED' | 'DELETED', pod: Pod): void {
    if (this.state !== 'running') return;
    const uid = pod.metadata.uid!;
    const record = this.pods.get(uid);
    if (type === 'DELETED') {
      if (record) this.termination.cleanUp(uid, record);
      return;
    }
    if (!record) {
      if (pod.metadata.deletionTimestamp !== undefined) return;
      const r = newPodRecord(pod);
      this.pods.set(uid, r);
      this.containers.startPod(r);
      return;
    }
    record.pod = pod;
    if (pod.metadata.deletionTimestamp !== undefined && record.state !== 'terminating') this.termination.terminate(uid, record);
  }

  /**
   * `kubesim crash pod`: the container exits with an error (exit code 1). Returns false if it
   * is not running (no such container, not started, being deleted).
   */
  crash(uid: string, containerName?: string): boolean {
    const record = this.pods.get(uid);
    if (!record || record.state !== 'running' || this.state === 'down') return false;
    const c = containerName === undefined ? record.containers[0] : record.containers.find((x) => x.name === containerName);
    if (!c || c.state !== 'running') return false;
    this.containers.exited(record, c, 1, 'Error');
    return true;
  }

  /**
   * `kubesim hang pod`: the application stops answering (a deadlock) while its containers keep
   * running: requests sent to it get no answer, probes fail. Returns false if it is not serving.
   */
  hang(uid: string): boolean {
    const record = this.pods.get(uid);
    if (!record || record.state !== 'running' || record.app !== 'up' || this.state === 'down') return false;
    record.app = 'hung';
    this.shared.runtime.lose(record.pod);
    return true;
  }

  private writeStatus(record: PodRecord): void {
    writePodStatus(this.ctx, this.node, record);
  }
}

/** One watch for all kubelets, dispatching by spec.nodeName (each kubelet watches its own pods upstream). */
export function startKubelets(ctx: ClusterContext, kubelets: Map<string, Kubelet>): void {
  ctx.api.watch('Pod', (type, pod) => {
    const nodeName = pod.spec.nodeName;
    if (nodeName) kubelets.get(nodeName)?.onPod(type, pod);
  });
  for (const k of kubelets.values()) k.register();
}
