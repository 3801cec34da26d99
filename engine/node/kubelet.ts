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
 */
import type { ClusterContext } from '../api/context.js';
import { setCondition } from '../api/pod-lifecycle.js';
import { NODE_LEASE_NAMESPACE, type ContainerStatus, type Node, type Pod } from '../api/types.js';
import { sampler, type Sampler } from '../core/distributions.js';
import { parseDuration } from '../core/duration.js';
import type { EventHandle } from '../core/simulation.js';
import type { Rng } from '../core/rng.js';
import { NodeIpam } from '../network/ipam.js';
import type { ContainerRuntime } from './container-runtime.js';
import { defaultPullPolicy } from './image-pull-policy.js';
import { goDuration, RestartBackoff } from './backoff.js';
import { probeSpec, ProbeState } from './prober.js';

type PodState = 'starting' | 'running' | 'failed' | 'terminating';

interface ContainerRecord {
  name: string;
  image: string;
  pullPolicy: string;
  restartCount: number;
  state: 'waiting' | 'running' | 'terminated';
  /** Incremented at every start: timers of an earlier instance are ignored. */
  instance: number;
  startedAt?: number;
  waitingReason?: string;
  waitingMessage?: string;
  last?: { exitCode: number; reason: string; startedAt?: number; finishedAt: number };
  readiness?: ProbeState;
  liveness?: ProbeState;
  /** Probe ticks, crash timer, pending restart. */
  timers: EventHandle[];
}

interface PodRecord {
  pod: Pod;
  state: PodState;
  ip?: string;
  /** The pending start-up step, cancelled if the pod is deleted meanwhile. */
  step?: EventHandle;
  kill?: EventHandle;
  containers: ContainerRecord[];
  /** The application: up (serving), down (a container is not running), hung (running, answering nothing). */
  app: 'up' | 'down' | 'hung';
}

/** Shared by the kubelets of one run: samplers and the RNG streams. */
export interface KubeletShared {
  runtime: ContainerRuntime;
  imagePull: Sampler;
  containerStart: Sampler;
  rng: Rng;
  /** Draws of crash times (a stream of its own, so crashes do not perturb start-up times). */
  crashRng: Rng;
}

export function kubeletShared(ctx: ClusterContext, runtime: ContainerRuntime): KubeletShared {
  return {
    runtime,
    imagePull: sampler(ctx.defaults.kubelet.imagePull),
    containerStart: sampler(ctx.defaults.kubelet.containerStart),
    rng: ctx.sim.stream('kubelet'),
    crashRng: ctx.sim.stream('kubelet/crash'),
  };
}

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

export class Kubelet {
  private readonly pods = new Map<string, PodRecord>();
  /** Images on this node, and pods waiting for an image being pulled. */
  private readonly images = new Set<string>();
  private readonly pulling = new Map<string, (() => void)[]>();
  private readonly ipam: NodeIpam;
  private readonly backoff: RestartBackoff;

  constructor(
    private readonly ctx: ClusterContext,
    private readonly shared: KubeletShared,
    readonly node: Node,
  ) {
    this.ipam = new NodeIpam(node.spec.podCIDR!);
    this.backoff = new RestartBackoff({ initial: ctx.defaults.kubelet.crashLoopBackOffInitial, max: ctx.defaults.kubelet.crashLoopBackOffMax });
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
    for (const record of this.pods.values()) this.repairReadiness(record);
  }

  /** Writes the pod's status again if the API's Ready condition differs from what the kubelet knows. */
  private repairReadiness(record: PodRecord): void {
    if (record.state !== 'running' || !record.ip) return;
    const pod = this.ctx.api.get('Pod', record.pod.metadata.namespace, record.pod.metadata.name);
    if (!pod) return;
    const inApi = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    if (inApi !== this.podReady(record)) this.writeStatus(record);
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
    // Containers that exited while nobody managed them are restarted now (with back-off).
    for (const record of this.pods.values()) {
      if (record.state !== 'running') continue;
      for (const c of record.containers) if (c.state === 'terminated' && c.last) this.afterExit(record, c);
      this.writeStatus(record);
    }
  }

  /** The machine fails: every container is lost with whatever it was doing. */
  fail(): void {
    if (this.state === 'down') return;
    this.state = 'down';
    for (const [uid, record] of this.pods) {
      this.cancelTimers(record);
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
      if (record) this.cleanUp(uid, record);
      return;
    }
    if (!record) {
      if (pod.metadata.deletionTimestamp !== undefined) return;
      const containers = pod.spec.containers.map(
        (c): ContainerRecord => ({
          name: c.name,
          image: c.image,
          pullPolicy: (c.imagePullPolicy as string | undefined) ?? defaultPullPolicy(c.image),
          restartCount: 0,
          state: 'waiting',
          waitingReason: 'ContainerCreating',
          instance: 0,
          timers: [],
        }),
      );
      const r: PodRecord = { pod, state: 'starting', containers, app: 'down' };
      this.pods.set(uid, r);
      this.startPod(uid, r);
      return;
    }
    record.pod = pod;
    if (pod.metadata.deletionTimestamp !== undefined && record.state !== 'terminating') this.terminate(uid, record);
  }

  private startPod(uid: string, record: PodRecord): void {
    const containers = record.containers;
    // Images are pulled one after another (the kubelet's default --serialize-image-pulls=true).
    const pullNext = (i: number): void => {
      if (record.state !== 'starting') return;
      if (i === containers.length) {
        this.createContainers(uid, record);
        return;
      }
      this.ensureImage(record, containers[i]!.image, containers[i]!.pullPolicy, () => pullNext(i + 1));
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
    const spec = pod.spec.containers.find((x) => x.name === c.name);
    const readiness = probeSpec(spec?.readinessProbe);
    const liveness = probeSpec(spec?.livenessProbe);
    // A new container starts with a fresh probe result (worker.go: reset on a new container ID).
    c.readiness = readiness && new ProbeState(readiness, false);
    c.liveness = liveness && new ProbeState(liveness, true);
    for (const [probe, kind] of [
      [c.readiness, 'Readiness'],
      [c.liveness, 'Liveness'],
    ] as const) {
      if (!probe) continue;
      const tick = () => {
        if (c.instance !== instance || c.state !== 'running' || record.state !== 'running') return;
        c.timers.push(this.ctx.sim.after(probe.spec.periodSeconds, tick));
        if (this.state !== 'running') return;
        const ok = record.app === 'up';
        if (!probe.record(ok)) return;
        if (!ok) this.ctx.event('Warning', 'Unhealthy', pod, `${kind} probe failed: the application did not answer`);
        if (kind === 'Readiness') this.writeStatus(record);
        else if (!ok) {
          this.ctx.event('Normal', 'Killing', pod, `Container ${c.name} failed liveness probe, will be restarted`);
          this.containerExited(record, c, 137, 'Error');
        }
      };
      if (probe.spec.initialDelaySeconds === 0 && kind === 'Readiness') {
        // The first probe runs as the container starts: no status write of its own.
        probe.record(record.app !== 'hung');
        c.timers.push(this.ctx.sim.after(probe.spec.periodSeconds, tick));
      } else {
        c.timers.push(this.ctx.sim.after(probe.spec.initialDelaySeconds, tick));
      }
    }
    const mttc = c === record.containers[0] ? meanTimeToCrash(pod, this.ctx.defaults.kubelet.meanTimeToCrashAnnotation) : undefined;
    if (mttc !== undefined) {
      const after = -Math.log(1 - this.shared.crashRng.float()) * mttc;
      c.timers.push(
        this.ctx.sim.after(after, () => {
          if (c.instance === instance && c.state === 'running') this.containerExited(record, c, 1, 'Error');
        }),
      );
    }
  }

  /** Pod Ready: every container running and, where it has a readiness probe, passing it. */
  private podReady(record: PodRecord): boolean {
    return record.state === 'running' && record.containers.every((c) => this.containerReady(c));
  }

  private containerReady(c: ContainerRecord): boolean {
    return c.state === 'running' && (c.readiness?.result ?? true);
  }

  private containerStatus(c: ContainerRecord): ContainerStatus {
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
      ready: this.containerReady(c),
      started: c.state === 'running',
      restartCount: c.restartCount,
      state,
      ...(lastState && { lastState }),
    };
  }

  /** Posts the pod's status as the kubelet sees it: phase, IPs, container statuses, conditions. */
  private writeStatus(record: PodRecord): void {
    const pod = record.pod;
    const now = this.ctx.sim.now;
    const hostIP = this.node.status.addresses.find((a) => a.type === 'InternalIP')?.address;
    const ready = this.podReady(record);
    const statuses = record.containers.map((c) => this.containerStatus(c));
    const phase = record.state === 'failed' ? 'Failed' : 'Running';
    const ip = record.ip;
    this.ctx.api.update('Pod', pod.metadata.namespace, pod.metadata.name, (p) => {
      p.status = { ...(p.status ?? { phase: 'Pending' }), phase, podIP: ip, hostIP, startTime: p.status?.startTime ?? now, containerStatuses: statuses };
      setCondition(p, 'Initialized', 'True', now);
      setCondition(p, 'ContainersReady', ready ? 'True' : 'False', now);
      setCondition(p, 'Ready', ready ? 'True' : 'False', now);
    });
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
    this.containerExited(record, c, 1, 'Error');
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

  /** A container exited (crash or liveness kill): in-flight requests are reset, then the restart policy decides. */
  private containerExited(record: PodRecord, c: ContainerRecord, exitCode: number, reason: string): void {
    const now = this.ctx.sim.now;
    for (const t of c.timers) this.ctx.sim.cancel(t);
    c.timers = [];
    c.instance++;
    c.state = 'terminated';
    c.last = { exitCode, reason, startedAt: c.startedAt, finishedAt: now };
    if (record.app === 'up') this.shared.runtime.kill(record.pod);
    record.app = 'down';
    if (this.state === 'running') this.afterExit(record, c);
    this.writeStatus(record);
  }

  /** The restart policy and the back-off (kuberuntime_manager.go computePodActions, doBackOff). */
  private afterExit(record: PodRecord, c: ContainerRecord): void {
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
        if (this.state !== 'running') {
          // Nobody to restart it now; start() does when the kubelet is back.
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
    this.ensureImage(record, c.image, c.pullPolicy, () => {
      if (c.instance !== instance || record.state !== 'running') return;
      const delay = Math.max(0, this.shared.containerStart(this.shared.rng));
      c.timers.push(
        this.ctx.sim.after(delay, () => {
          if (c.instance !== instance || record.state !== 'running' || this.state === 'down') return;
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

  private cancelTimers(record: PodRecord): void {
    if (record.step !== undefined) this.ctx.sim.cancel(record.step);
    if (record.kill !== undefined) this.ctx.sim.cancel(record.kill);
    record.step = record.kill = undefined;
    for (const c of record.containers) {
      for (const t of c.timers) this.ctx.sim.cancel(t);
      c.timers = [];
      c.instance++;
    }
  }

  private terminate(uid: string, record: PodRecord): void {
    const wasRunning = record.state === 'running';
    record.state = 'terminating';
    if (record.step !== undefined) this.ctx.sim.cancel(record.step);
    record.step = undefined;
    for (const c of record.containers) {
      for (const t of c.timers) this.ctx.sim.cancel(t);
      c.timers = [];
      c.instance++;
    }
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
      this.shared.runtime.kill(pod);
      this.finish(uid, record);
    });
    // A hung or half-down application does not exit on SIGTERM: it is killed at the grace period.
    if (record.app !== 'up') return;
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
    this.backoff.forget(`${uid}/`);
    this.ctx.api.delete('Pod', record.pod.metadata.namespace, record.pod.metadata.name);
    this.pods.delete(uid);
  }

  private cleanUp(uid: string, record: PodRecord): void {
    const wasServing = record.state === 'running' && record.app === 'up';
    this.cancelTimers(record);
    if (wasServing) this.shared.runtime.kill(record.pod);
    if (record.ip) this.ipam.release(record.ip);
    this.backoff.forget(`${uid}/`);
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
