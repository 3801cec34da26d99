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
 * Implements the kubelet's ContainerRuntime: the kubelet decides when, this decides what
 * happens to the traffic.
 */
import type { ClusterContext } from '../api/context.js';
import type { Pod } from '../api/types.js';
import type { Simulation } from '../core/simulation.js';
import type { Rng } from '../core/rng.js';
import type { Sampler } from '../core/distributions.js';
import type { ContainerRuntime } from '../node/container-runtime.js';
import type { FailureReason, TrafficStats } from '../metrics/traffic-stats.js';
import { IntRing } from './int-ring.js';
import { CLIENT_WAITING, SERVER_HOLDS, type RequestTable } from './request-table.js';

export interface ServedLoad {
  serviceIndex: number;
  serviceTime: Sampler;
  rng: Rng;
}

class PodServer {
  busy = 0;
  readonly queue = new IntRing(16);
  readonly inService = new Set<number>();
  accepting = true;
  alive = true;
  onExit: (() => void) | undefined;

  constructor(
    readonly uid: string,
    readonly namespace: string,
    readonly name: string,
    readonly nodeName: string,
    readonly workers: number,
    readonly queueCapacity: number,
  ) {}
}

export class PodServers implements ContainerRuntime {
  private readonly servers: PodServer[] = [];
  private readonly byUid = new Map<string, number>();
  private readonly sim: Simulation;
  private readonly completeHandler: (id: number) => void;

  constructor(
    private readonly ctx: ClusterContext,
    private readonly table: RequestTable,
    private readonly stats: TrafficStats,
    private readonly loads: ServedLoad[],
  ) {
    this.sim = ctx.sim;
    this.completeHandler = (id) => this.complete(id);
  }

  /** The server index of a pod that is listening, or -1. */
  listening(uid: string): number {
    const i = this.byUid.get(uid);
    return i !== undefined && this.servers[i]!.accepting ? i : -1;
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
    const server = new PodServer(pod.metadata.uid!, pod.metadata.namespace!, pod.metadata.name, nodeName, workers, queueCapacity);
    this.byUid.set(server.uid, this.servers.length);
    this.servers.push(server);
  }

  terminate(pod: Pod, exited: () => void): void {
    const s = this.serverOf(pod);
    if (!s) return exited();
    s.accepting = false;
    s.onExit = exited;
    this.maybeExit(s);
  }

  kill(pod: Pod): void {
    const s = this.serverOf(pod);
    if (!s || !s.alive) return;
    s.alive = false;
    s.accepting = false;
    for (const id of s.inService) {
      this.sim.cancel(this.table.completion[id]!);
      this.drop(id, 'connection_reset');
    }
    s.inService.clear();
    s.busy = 0;
    s.queue.drain((id) => this.drop(id, 'connection_reset'));
    this.byUid.delete(s.uid);
  }

  /** A request reaches the pod (the handler of the delivery event; `id` holds SERVER_HOLDS). */
  arrive(id: number): void {
    const s = this.servers[this.table.server[id]!]!;
    if (!s.accepting) return this.drop(id, 'connection_refused');
    if (!this.table.isWaiting(id)) return this.table.release(id, SERVER_HOLDS);
    if (s.busy < s.workers) this.serve(s, id);
    else if (s.queue.size < s.queueCapacity) s.queue.push(id);
    else this.drop(id, 'queue_full');
  }

  private serve(s: PodServer, id: number): void {
    s.busy++;
    s.inService.add(id);
    const load = this.loads[this.table.load[id]!]!;
    const duration = Math.max(0, load.serviceTime(load.rng));
    this.table.completion[id] = this.sim.after(duration, this.completeHandler, id);
  }

  private complete(id: number): void {
    const table = this.table;
    const s = this.servers[table.server[id]!]!;
    s.busy--;
    s.inService.delete(id);
    if (table.isWaiting(id)) {
      const load = this.loads[table.load[id]!]!;
      this.stats.served(load.serviceIndex, this.sim.now + table.returnDelay[id]! - table.start[id]!);
      this.stats.podServedOne(s.uid, s.namespace, s.name);
      table.release(id, CLIENT_WAITING);
    }
    table.release(id, SERVER_HOLDS);
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
      this.stats.failed(this.loads[this.table.load[id]!]!.serviceIndex, reason);
      this.table.release(id, CLIENT_WAITING);
    }
    this.table.release(id, SERVER_HOLDS);
  }

  private maybeExit(s: PodServer): void {
    if (s.accepting || !s.onExit || s.busy > 0 || s.queue.size > 0) return;
    const exited = s.onExit;
    s.onExit = undefined;
    s.alive = false;
    this.byUid.delete(s.uid);
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

function nonNegativeInt(text: string | undefined): number | undefined {
  const n = Number(text);
  return text !== undefined && Number.isInteger(n) && n >= 0 ? n : undefined;
}
