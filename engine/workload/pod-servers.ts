/**
 * The application inside each pod, as a request server: `workers` requests are served at a
 * time, up to `queueCapacity` more wait in FIFO order, beyond that a request is refused
 * (queue_full). Service time is drawn per request from the load's distribution when a worker
 * picks it up. On SIGTERM the pod stops taking new connections and finishes what it holds
 * (then exits); on SIGKILL whatever it still holds is reset.
 *
 * Worker and queue sizes come from pod annotations (DEFAULTS.serving names them), since
 * Kubernetes manifests have no field for an application's concurrency.
 *
 * CPU: each request in service burns `serving.kubesim.dev/cpu-per-request` cores (default one
 * core: the service time is CPU time), on top of `serving.kubesim.dev/cpu-idle`, capped at the
 * pod's CPU limit (the sum of its containers' limits, when every container has one) as the CFS
 * quota caps what cAdvisor measures. The rate only changes when a worker starts or finishes,
 * so a per-pod counter of CPU-seconds is exact; the kubelet's cAdvisor reads it
 * (engine/metrics/cadvisor.ts).
 *
 * CPU throttling: a service time is CPU work. When the pod's demand (idle + busy x
 * cpu-per-request cores) exceeds its limit, the CFS bandwidth controller lets it run only
 * `limit` cores' worth per period (Documentation/scheduler/sched-bwc.rst), so every request in
 * service progresses at limit/demand of its unthrottled speed: its service stretches. This is
 * the fluid limit of CFS quota; the 100 ms period's on/off pattern, which adds tail latency
 * of up to one period, is not modelled. Throttled pods keep a virtual work clock that advances
 * at that speed, and completions are rescheduled whenever the speed changes.
 *
 * Implements the kubelet's ContainerRuntime: the kubelet decides when, this decides what
 * happens to the traffic.
 */
import type { ClusterContext } from '../api/context.js';
import type { Pod } from '../api/types.js';
import { parseCpuMilli } from '../api/quantity.js';
import type { HandlerId, Simulation } from '../core/simulation.js';
import type { Rng } from '../core/rng.js';
import type { Sampler } from '../core/distributions.js';
import type { ContainerRuntime } from '../node/container-runtime.js';
import type { FailureReason, PodCounters, TrafficStats } from '../metrics/traffic-stats.js';
import { IntRing } from './int-ring.js';
import { CLIENT_WAITING, SERVER_HOLDS, type RequestTable } from './request-table.js';

export interface ServedLoad {
  serviceIndex: number;
  serviceTime: Sampler;
  rng: Rng;
  /**
   * Through an ingress controller (engine/network/ingress-controller.ts): the controller pod serves
   * the request for `controllerServiceTime` seconds, then `forward` sends it on to a backend pod;
   * true when the request went on (the server side still holds it), false when it failed there.
   */
  ingress?: { controllerServiceTime: number; forward: (id: number) => boolean };
}

class PodServer {
  busy = 0;
  readonly queue = new IntRing(16);
  readonly inService = new Set<number>();
  accepting = true;
  alive = true;
  onExit: (() => void) | undefined;
  /** CPU-seconds used up to `cpuSince`, and requests answered (the app's counters). */
  cpuSeconds = 0;
  cpuSince: number;
  answered = 0;
  /** True when busy workers can demand more CPU than the limit (then throttling applies). */
  readonly throttles: boolean;
  /** Work done per request in service, in seconds of unthrottled service, up to `workSince`; and the speed since then. */
  work = 0;
  workSince: number;
  speed = 1;

  constructor(
    readonly uid: string,
    readonly namespace: string,
    readonly name: string,
    readonly nodeName: string,
    readonly workers: number,
    readonly queueCapacity: number,
    readonly cpu: PodCpu,
    readonly startTime: number,
    readonly counters: PodCounters,
  ) {
    this.cpuSince = startTime;
    this.workSince = startTime;
    this.throttles = cpu.limit < cpu.idle + workers * cpu.perRequest;
  }
}

/** A pod's CPU model, in cores. */
interface PodCpu {
  perRequest: number;
  idle: number;
  /** The pod's CPU limit; Infinity without one. */
  limit: number;
}

/** One running pod's counters as the kubelet reads them: cumulative CPU-seconds and requests answered. */
export interface PodUsage {
  uid: string;
  namespace: string;
  name: string;
  nodeName: string;
  startTime: number;
  cpuSeconds: number;
  requests: number;
}

export class PodServers implements ContainerRuntime {
  private readonly servers: PodServer[] = [];
  private readonly byUid = new Map<string, number>();
  /** Pods whose node went down with them (see `lose`). */
  private readonly lost = new Set<string>();
  private readonly sim: Simulation;
  private readonly completeHandler: HandlerId;

  constructor(
    private readonly ctx: ClusterContext,
    private readonly table: RequestTable,
    private readonly stats: TrafficStats,
    private readonly loads: ServedLoad[],
  ) {
    this.sim = ctx.sim;
    this.completeHandler = this.sim.register((id) => this.complete(id));
  }

  /** The server index of a pod that is listening, or -1. */
  listening(uid: string): number {
    const i = this.byUid.get(uid);
    return i !== undefined && this.servers[i]!.accepting ? i : -1;
  }

  /** The node of server `index` (from `listening`). */
  nodeOf(index: number): string {
    return this.servers[index]!.nodeName;
  }

  /** True while server `index` (from `listening`) still takes connections. */
  accepting(index: number): boolean {
    return this.servers[index]!.accepting;
  }

  /** Pods currently holding requests (queued or in service), for tests and metrics. */
  inFlight(uid: string): number {
    const i = this.byUid.get(uid);
    if (i === undefined) return 0;
    const s = this.servers[i]!;
    return s.busy + s.queue.size;
  }

  start(pod: Pod, nodeName: string): void {
    const ann = pod.metadata.annotations ?? {};
    const serving = this.ctx.defaults.serving;
    const workers = positiveInt(ann[serving.workersAnnotation]) ?? serving.workers;
    const queueCapacity = nonNegativeInt(ann[serving.queueCapacityAnnotation]) ?? serving.queueCapacity;
    const cpu = {
      perRequest: (cpuMilli(ann[serving.cpuPerRequestAnnotation]) ?? serving.cpuPerRequestMilli) / 1000,
      idle: (cpuMilli(ann[serving.cpuIdleAnnotation]) ?? serving.cpuIdleMilli) / 1000,
      limit: cpuLimit(pod) / 1000,
    };
    const counters = this.stats.pod(pod.metadata.namespace!, pod.metadata.name);
    const server = new PodServer(pod.metadata.uid!, pod.metadata.namespace!, pod.metadata.name, nodeName, workers, queueCapacity, cpu, this.sim.now, counters);
    this.lost.delete(server.uid);
    this.byUid.set(server.uid, this.servers.length);
    this.servers.push(server);
  }

  /** The counters of every pod whose app runs, in start order, brought up to now. */
  forEachRunning(fn: (usage: PodUsage) => void): void {
    for (const i of this.byUid.values()) {
      const s = this.servers[i]!;
      this.accrue(s);
      fn({ uid: s.uid, namespace: s.namespace, name: s.name, nodeName: s.nodeName, startTime: s.startTime, cpuSeconds: s.cpuSeconds, requests: s.answered });
    }
  }

  terminate(pod: Pod, exited: () => void): void {
    const s = this.serverOf(pod);
    if (!s) return exited();
    s.accepting = false;
    s.onExit = exited;
    this.maybeExit(s);
  }

  kill(pod: Pod): void {
    this.stop(pod, (id) => this.drop(id, 'connection_reset'));
  }

  /**
   * The node lost power: requests the pod holds are never answered (their clients time out),
   * and until the pod is started again anything sent to its address vanishes (`blackholed`).
   */
  lose(pod: Pod): void {
    const uid = pod.metadata.uid!;
    if (this.stop(pod, (id) => this.table.release(id, SERVER_HOLDS))) this.lost.add(uid);
  }

  /** Ends a pod's app at once, handing each request it holds to `release`; false if it was not running. */
  private stop(pod: Pod, release: (id: number) => void): boolean {
    const s = this.serverOf(pod);
    if (!s || !s.alive) return false;
    this.accrue(s);
    s.alive = false;
    s.accepting = false;
    for (const id of s.inService) {
      if (this.table.completion[id]! >= 0) this.sim.cancel(this.table.completion[id]!);
      release(id);
    }
    s.inService.clear();
    s.busy = 0;
    s.queue.drain(release);
    this.byUid.delete(s.uid);
    s.counters.live = false;
    return true;
  }

  /** True while packets to this pod vanish (its node is down). */
  blackholed(uid: string): boolean {
    return this.lost.has(uid);
  }

  /** A request reaches the pod (the handler of the delivery event; `id` holds SERVER_HOLDS). */
  arrive(id: number): void {
    const s = this.servers[this.table.server[id]!]!;
    this.table.arrivedAt[id] = this.sim.now;
    if (!s.accepting) return this.drop(id, 'connection_refused');
    if (!this.table.isWaiting(id)) return this.table.release(id, SERVER_HOLDS);
    if (s.busy < s.workers) this.serve(s, id);
    else if (s.queue.size < s.queueCapacity) s.queue.push(id);
    else this.drop(id, 'queue_full');
  }

  private serve(s: PodServer, id: number): void {
    this.accrue(s);
    s.busy++;
    s.inService.add(id);
    this.table.serviceStart[id] = this.sim.now;
    const load = this.loads[this.table.load[id]!]!;
    const duration = load.ingress && this.table.hop[id] === 0 ? load.ingress.controllerServiceTime : Math.max(0, load.serviceTime(load.rng));
    if (!s.throttles) {
      this.table.completion[id] = this.sim.after(duration, this.completeHandler, id);
      return;
    }
    this.advanceWork(s);
    this.table.workDone[id] = s.work + duration;
    this.table.completion[id] = -1;
    this.respeed(s);
  }

  /** Brings a throttled pod's virtual work clock up to now. */
  private advanceWork(s: PodServer): void {
    s.work += (this.sim.now - s.workSince) * s.speed;
    s.workSince = this.sim.now;
  }

  /** `busy` changed on a throttled pod: new speed, and every completion in service moved to match it. */
  private respeed(s: PodServer): void {
    const { perRequest, idle, limit } = s.cpu;
    const demand = idle + s.busy * perRequest;
    s.speed = demand <= limit ? 1 : limit / demand;
    const table = this.table;
    for (const id of s.inService) {
      if (table.completion[id]! >= 0) this.sim.cancel(table.completion[id]!);
      const left = Math.max(0, table.workDone[id]! - s.work);
      table.completion[id] = s.speed > 0 ? this.sim.after(left / s.speed, this.completeHandler, id) : -1;
    }
  }

  private complete(id: number): void {
    const table = this.table;
    const s = this.servers[table.server[id]!]!;
    this.accrue(s);
    if (s.throttles) this.advanceWork(s);
    s.busy--;
    s.answered++;
    s.inService.delete(id);
    if (s.throttles) this.respeed(s);
    const load = this.loads[table.load[id]!]!;
    let forwarded = false;
    if (table.isWaiting(id) && load.ingress && table.hop[id] === 0) forwarded = load.ingress.forward(id);
    else if (table.isWaiting(id)) {
      const now = this.sim.now;
      const oneWay = table.returnDelay[id]!;
      const proxy = table.proxyDelay[id]!;
      const start = table.serviceStart[id]!;
      // network = the hops there and back; the rest of the way there was kube-proxy's rules.
      const network = table.arrivedAt[id]! - table.start[id]! - proxy + oneWay;
      this.stats.served(load.serviceIndex, now + oneWay - table.start[id]!, network, proxy, start - table.arrivedAt[id]!, now - start, s.counters);
      table.answered[id] = 1;
      table.release(id, CLIENT_WAITING);
    }
    if (!forwarded) table.release(id, SERVER_HOLDS);
    // Next queued request whose client is still there; abandoned ones are dropped silently.
    while (s.queue.size > 0 && s.busy < s.workers) {
      const next = s.queue.shift();
      if (table.isWaiting(next)) this.serve(s, next);
      else table.release(next, SERVER_HOLDS);
    }
    this.maybeExit(s);
  }

  /** Fails a request the server side holds (if its client still waits) and lets go of it. */
  private drop(id: number, reason: FailureReason): void {
    if (this.table.isWaiting(id)) {
      this.stats.failed(this.loads[this.table.load[id]!]!.serviceIndex, reason, this.servers[this.table.server[id]!]!.counters);
      this.table.release(id, CLIENT_WAITING);
    }
    this.table.release(id, SERVER_HOLDS);
  }

  /** Adds the CPU used since the last change of `busy` (the rate is constant in between). */
  private accrue(s: PodServer): void {
    const now = this.sim.now;
    const { perRequest, idle, limit } = s.cpu;
    s.cpuSeconds += Math.min(limit, idle + s.busy * perRequest) * (now - s.cpuSince);
    s.cpuSince = now;
  }

  private maybeExit(s: PodServer): void {
    if (s.accepting || !s.onExit || s.busy > 0 || s.queue.size > 0) return;
    const exited = s.onExit;
    s.onExit = undefined;
    s.alive = false;
    this.byUid.delete(s.uid);
    s.counters.live = false;
    exited();
  }

  private serverOf(pod: Pod): PodServer | undefined {
    const i = this.byUid.get(pod.metadata.uid!);
    return i === undefined ? undefined : this.servers[i];
  }
}

function positiveInt(text: string | undefined): number | undefined {
  const n = Number(text);
  return text !== undefined && Number.isInteger(n) && n >= 1 ? n : undefined;
}

/** A CPU quantity annotation in millicores (validated by the scenario loader). */
function cpuMilli(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  try {
    return parseCpuMilli(text);
  } catch {
    return undefined;
  }
}

/** The pod's CPU limit in millicores: the sum over containers, Infinity if one has none. */
function cpuLimit(pod: Pod): number {
  let sum = 0;
  for (const c of pod.spec.containers) {
    const limit = c.resources?.limits?.cpu;
    if (limit === undefined) return Infinity;
    sum += parseCpuMilli(limit);
  }
  return sum;
}

function nonNegativeInt(text: string | undefined): number | undefined {
  const n = Number(text);
  return text !== undefined && Number.isInteger(n) && n >= 0 ? n : undefined;
}
