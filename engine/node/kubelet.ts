/**
 * The kubelet of one node: registers the Node, and for each pod bound to it pulls the images
 * (once per node: a second pod with the same image finds it in the node's image cache), starts
 * the containers through the runtime, reports status (Running, pod IP, conditions), and on
 * deletion runs graceful termination: SIGTERM at once, SIGKILL at the deletion timestamp
 * (= deletion time + terminationGracePeriodSeconds), then removes the pod from the API server.
 *
 * Timing parameters come from DEFAULTS.kubelet (cited there). Event reasons and messages are
 * the kubelet's own (pkg/kubelet/events/event.go, pkg/kubelet/images/image_manager.go).
 */
import type { ClusterContext } from '../api/context.js';
import { setCondition } from '../api/pod-lifecycle.js';
import { NODE_LEASE_NAMESPACE, type Node, type Pod } from '../api/types.js';
import { sampler, type Sampler } from '../core/distributions.js';
import type { EventHandle } from '../core/simulation.js';
import type { Rng } from '../core/rng.js';
import { NodeIpam } from '../network/ipam.js';
import type { ContainerRuntime } from './container-runtime.js';
import { defaultPullPolicy } from './image-pull-policy.js';

type PodState = 'starting' | 'running' | 'terminating';

interface PodRecord {
  pod: Pod;
  state: PodState;
  ip?: string;
  /** The pending start-up step, cancelled if the pod is deleted meanwhile. */
  step?: EventHandle;
  kill?: EventHandle;
}

/** Shared by the kubelets of one run: samplers and the RNG stream. */
export interface KubeletShared {
  runtime: ContainerRuntime;
  imagePull: Sampler;
  containerStart: Sampler;
  rng: Rng;
}

export function kubeletShared(ctx: ClusterContext, runtime: ContainerRuntime): KubeletShared {
  return {
    runtime,
    imagePull: sampler(ctx.defaults.kubelet.imagePull),
    containerStart: sampler(ctx.defaults.kubelet.containerStart),
    rng: ctx.sim.stream('kubelet'),
  };
}

export class Kubelet {
  private readonly pods = new Map<string, PodRecord>();
  /** Images on this node, and pods waiting for an image being pulled. */
  private readonly images = new Set<string>();
  private readonly pulling = new Map<string, (() => void)[]>();
  private readonly ipam: NodeIpam;

  constructor(
    private readonly ctx: ClusterContext,
    private readonly shared: KubeletShared,
    readonly node: Node,
  ) {
    this.ipam = new NodeIpam(node.spec.podCIDR!);
  }

  /**
   * running: the kubelet works; stopped: the kubelet process is down (containers keep running
   * and serving, but nothing on the node is managed and no heartbeat is sent); down: the whole
   * machine is off (containers gone, its addresses answer nothing).
   */
  state: 'running' | 'stopped' | 'down' = 'running';

  /** Registers the Node and its Lease, then renews the Lease every quarter of its duration. */
  register(): void {
    const now = this.ctx.sim.now;
    this.node.status.conditions = [
      { type: 'Ready', status: 'True', lastHeartbeatTime: now, lastTransitionTime: now, reason: 'KubeletReady', message: 'kubelet is posting ready status' },
    ];
    this.ctx.api.create(this.node);
    const { nodeLeaseDurationSeconds, nodeLeaseRenewIntervalFraction } = this.ctx.defaults.kubelet;
    this.ctx.api.create({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.node.metadata.name, namespace: NODE_LEASE_NAMESPACE },
      spec: { holderIdentity: this.node.metadata.name, leaseDurationSeconds: nodeLeaseDurationSeconds, renewTime: now },
    });
    const interval = nodeLeaseDurationSeconds * nodeLeaseRenewIntervalFraction;
    const renew = () => {
      if (this.state === 'running') {
        this.renewLease();
        this.syncStatus();
      }
      this.ctx.sim.after(interval, renew);
    };
    this.ctx.sim.after(interval, renew);
  }

  private renewLease(): void {
    const at = this.ctx.sim.now;
    this.ctx.api.update('Lease', NODE_LEASE_NAMESPACE, this.node.metadata.name, (l) => {
      l.spec.renewTime = at;
    });
  }

  /**
   * The kubelet's periodic status sync (nodeStatusUpdateFrequency, 10 s, the same period as the
   * lease here): a Node the controller marked Unknown while heartbeats were lost is posted
   * Ready again, and running pods it marked not Ready get their readiness back.
   */
  private syncStatus(): void {
    const node = this.ctx.api.get('Node', undefined, this.node.metadata.name);
    if (node && node.status.conditions?.find((c) => c.type === 'Ready')?.status !== 'True') this.reportReady();
    for (const record of this.pods.values()) {
      if (record.state !== 'running' || !record.ip || record.step !== undefined) continue;
      const pod = this.ctx.api.get('Pod', record.pod.metadata.namespace, record.pod.metadata.name);
      if (pod && !pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) this.reportRunning(record, record.ip);
    }
  }

  /** The kubelet process stops (a fault action): containers keep running, unmanaged. */
  stop(): void {
    if (this.state === 'running') this.state = 'stopped';
  }

  /** The kubelet starts again: reports Ready and brings the node's pods in line with the API. */
  start(): void {
    if (this.state !== 'stopped') return;
    this.state = 'running';
    this.renewLease();
    this.reportReady();
    this.resync();
  }

  /** The machine fails: every container is lost with whatever it was doing. */
  fail(): void {
    if (this.state === 'down') return;
    this.state = 'down';
    for (const [uid, record] of this.pods) {
      if (record.step !== undefined) this.ctx.sim.cancel(record.step);
      if (record.kill !== undefined) this.ctx.sim.cancel(record.kill);
      if (record.state !== 'starting') this.shared.runtime.lose(record.pod);
      if (record.ip) this.ipam.release(record.ip);
      this.pods.delete(uid);
    }
    this.pulling.clear();
  }

  /** The machine boots: the kubelet starts with no container running; images on disk survive. */
  recover(): void {
    if (this.state !== 'down') return;
    this.state = 'running';
    this.renewLease();
    this.reportReady();
    this.resync();
  }

  private reportReady(): void {
    const now = this.ctx.sim.now;
    this.ctx.api.update('Node', undefined, this.node.metadata.name, (n) => {
      const c = n.status.conditions?.find((x) => x.type === 'Ready');
      if (!c) return false;
      if (c.status !== 'True') c.lastTransitionTime = now;
      Object.assign(c, { status: 'True', lastHeartbeatTime: now, reason: 'KubeletReady', message: 'kubelet is posting ready status' });
    });
  }

  /** What the kubelet's sync loop does after a restart: every pod bound here, as the API has it now. */
  private resync(): void {
    const name = this.node.metadata.name;
    const inApi = new Map(this.ctx.api.list('Pod').filter((p) => p.spec.nodeName === name).map((p) => [p.metadata.uid!, p]));
    for (const [uid, record] of [...this.pods]) if (!inApi.has(uid)) this.cleanUp(uid, record);
    for (const pod of inApi.values()) {
      const record = this.pods.get(pod.metadata.uid!);
      if (!record && pod.metadata.deletionTimestamp !== undefined) {
        // Its containers are already gone: confirm the deletion.
        this.ctx.api.delete('Pod', pod.metadata.namespace, pod.metadata.name);
        continue;
      }
      this.onPod('MODIFIED', pod);
      const r = this.pods.get(pod.metadata.uid!);
      // Pods the node lifecycle controller marked not Ready while this kubelet was away.
      if (r?.state === 'running' && r.ip && !pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) {
        this.reportRunning(r, r.ip);
      }
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
      if (record) this.cleanUp(uid, record);
      return;
    }
    if (!record) {
      if (pod.metadata.deletionTimestamp !== undefined) return;
      const r: PodRecord = { pod, state: 'starting' };
      this.pods.set(uid, r);
      this.startPod(uid, r);
      return;
    }
    record.pod = pod;
    if (pod.metadata.deletionTimestamp !== undefined && record.state !== 'terminating') this.terminate(uid, record);
  }

  private startPod(uid: string, record: PodRecord): void {
    const containers = record.pod.spec.containers;
    // Images are pulled one after another (the kubelet's default --serialize-image-pulls=true).
    const pullNext = (i: number): void => {
      if (record.state !== 'starting') return;
      if (i === containers.length) {
        this.createContainers(uid, record);
        return;
      }
      this.ensureImage(record, containers[i]!.image, (containers[i]!.imagePullPolicy as string | undefined) ?? defaultPullPolicy(containers[i]!.image), () =>
        pullNext(i + 1),
      );
    };
    pullNext(0);
  }

  private ensureImage(record: PodRecord, image: string, policy: string, then: () => void): void {
    const pod = record.pod;
    if (policy !== 'Always' && this.images.has(image)) {
      this.ctx.event('Normal', 'Pulled', pod, `Container image "${image}" already present on machine`);
      then();
      return;
    }
    const waiting = this.pulling.get(image);
    if (waiting) {
      waiting.push(then);
      return;
    }
    this.pulling.set(image, [then]);
    this.ctx.event('Normal', 'Pulling', pod, `Pulling image "${image}"`);
    const cached = this.images.has(image);
    const duration = cached ? this.ctx.defaults.kubelet.registryCheck : Math.max(0, this.shared.imagePull(this.shared.rng));
    this.ctx.sim.after(duration, () => {
      this.images.add(image);
      const took = formatSeconds(duration);
      this.ctx.event('Normal', 'Pulled', pod, `Successfully pulled image "${image}" in ${took} (${took} including waiting)`);
      const thens = this.pulling.get(image)!;
      this.pulling.delete(image);
      for (const t of thens) t();
    });
  }

  private createContainers(uid: string, record: PodRecord): void {
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
      for (const c of pod.spec.containers) {
        this.ctx.event('Normal', 'Created', pod, `Created container ${c.name}`);
        this.ctx.event('Normal', 'Started', pod, `Started container ${c.name}`);
      }
      record.state = 'running';
      this.shared.runtime.start(pod, this.node.metadata.name);
      this.reportRunning(record, ip);
    });
  }

  /** Running now; Ready at once, or when the first readiness probe passes after initialDelaySeconds. */
  private reportRunning(record: PodRecord, ip: string): void {
    const pod = record.pod;
    const now = this.ctx.sim.now;
    const hostIP = this.node.status.addresses.find((a) => a.type === 'InternalIP')?.address;
    const probeDelay = Math.max(
      0,
      ...pod.spec.containers.map((c) => (c.readinessProbe as { initialDelaySeconds?: number } | undefined)?.initialDelaySeconds ?? 0),
    );
    const readyNow = probeDelay === 0;
    this.ctx.api.update('Pod', pod.metadata.namespace, pod.metadata.name, (p) => {
      p.status = { ...(p.status ?? { phase: 'Pending' }), phase: 'Running', podIP: ip, hostIP, startTime: now };
      setCondition(p, 'Initialized', 'True', now);
      setCondition(p, 'ContainersReady', readyNow ? 'True' : 'False', now);
      setCondition(p, 'Ready', readyNow ? 'True' : 'False', now);
    });
    if (readyNow) return;
    record.step = this.ctx.sim.after(probeDelay, () => {
      record.step = undefined;
      if (record.state !== 'running') return;
      const at = this.ctx.sim.now;
      this.ctx.api.update('Pod', pod.metadata.namespace, pod.metadata.name, (p) => {
        setCondition(p, 'ContainersReady', 'True', at);
        setCondition(p, 'Ready', 'True', at);
      });
    });
  }

  private terminate(uid: string, record: PodRecord): void {
    const wasRunning = record.state === 'running';
    record.state = 'terminating';
    if (record.step !== undefined) this.ctx.sim.cancel(record.step);
    const pod = record.pod;
    if (!wasRunning) {
      this.finish(uid, record);
      return;
    }
    for (const c of pod.spec.containers) this.ctx.event('Normal', 'Killing', pod, `Stopping container ${c.name}`);
    const killAt = Math.max(this.ctx.sim.now, pod.metadata.deletionTimestamp!);
    record.kill = this.ctx.sim.schedule(killAt, () => {
      record.kill = undefined;
      this.shared.runtime.kill(pod);
      this.finish(uid, record);
    });
    this.shared.runtime.terminate(pod, () => {
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
    this.ctx.api.delete('Pod', record.pod.metadata.namespace, record.pod.metadata.name);
    this.pods.delete(uid);
  }

  private cleanUp(uid: string, record: PodRecord): void {
    if (record.step !== undefined) this.ctx.sim.cancel(record.step);
    if (record.kill !== undefined) this.ctx.sim.cancel(record.kill);
    if (record.state === 'running') this.shared.runtime.kill(record.pod);
    if (record.ip) this.ipam.release(record.ip);
    this.pods.delete(uid);
  }
}

/** Go's time.Duration String() for the pull message (`2.512s`, `850ms`). */
function formatSeconds(seconds: number): string {
  if (seconds >= 1) return `${+seconds.toFixed(3)}s`;
  return `${+(seconds * 1000).toFixed(3)}ms`;
}

/** One watch for all kubelets, dispatching by spec.nodeName (each kubelet watches its own pods upstream). */
export function startKubelets(ctx: ClusterContext, kubelets: Map<string, Kubelet>): void {
  ctx.api.watch('Pod', (type, pod) => {
    const nodeName = pod.spec.nodeName;
    if (nodeName) kubelets.get(nodeName)?.onPod(type, pod);
  });
  for (const k of kubelets.values()) k.register();
}
