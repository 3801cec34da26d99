/**
 * In-flight requests as integer ids into typed arrays, so the data path allocates nothing per
 * request (DESIGN.md, performance habits).
 *
 * A request is held by up to three parties, one bit each: the client still waiting for an
 * answer, the server side (in transit to a pod, queued, or being served), and the client's
 * timeout FIFO. The id returns to the free list only when all three have let go, so an id is
 * never reused while an event or a queue can still name it.
 */
import { grown } from '../core/typed-arrays.js';

export const CLIENT_WAITING = 1;
export const SERVER_HOLDS = 2;
export const IN_TIMEOUT_FIFO = 4;

export class RequestTable {
  start = new Float64Array(1024);
  /** Latency of the way back to the client (hops), added to the serving time. */
  returnDelay = new Float64Array(1024);
  load = new Int32Array(1024);
  server = new Int32Array(1024);
  /** Handle of the pending completion event while a worker serves the request. */
  completion = new Float64Array(1024);
  holders = new Uint8Array(1024);
  /** The client (index within its load) and its connection (ConnectionTable id, -1 for none). */
  client = new Int32Array(1024);
  conn = new Int32Array(1024);
  /** Seconds kube-proxy's rules took on the request's new connection (0 on an established one). */
  proxyDelay = new Float64Array(1024);
  /** When the request reached the pod, and when a worker took it (latency parts). */
  arrivedAt = new Float64Array(1024);
  serviceStart = new Float64Array(1024);
  /** CPU-throttled pods: the pod's virtual work clock at which the request is done (pod-servers.ts). */
  workDone = new Float64Array(1024);
  /** 1 once the request was answered (for the closed loop's next send). */
  answered = new Uint8Array(1024);
  /** Through an ingress controller: 0 while at the controller pod, 1 once forwarded to the backend pod. */
  hop = new Uint8Array(1024);
  /** Called when a request's client stops waiting (answered, failed or timed out), before its id can be reused. */
  onClientDone: ((id: number) => void) | undefined;
  private free: number[] = [];
  private used = 0;
  /** Requests allocated right now (for the conservation check). */
  live = 0;

  alloc(): number {
    this.live++;
    const id = this.free.length > 0 ? this.free.pop()! : this.used++;
    if (id === this.start.length) this.grow();
    this.conn[id] = -1;
    this.proxyDelay[id] = 0;
    this.answered[id] = 0;
    this.hop[id] = 0;
    return id;
  }

  /** Drops one holder bit; frees the id when no holder is left. */
  release(id: number, bit: number): void {
    if (bit === CLIENT_WAITING && (this.holders[id]! & CLIENT_WAITING) !== 0) this.onClientDone?.(id);
    const h = this.holders[id]! & ~bit;
    this.holders[id] = h;
    if (h === 0) {
      this.free.push(id);
      this.live--;
    }
  }

  /** Requests whose client still waits for an answer (scans: for the end-of-run check only). */
  countWaiting(): number {
    let n = 0;
    for (let id = 0; id < this.used; id++) if ((this.holders[id]! & CLIENT_WAITING) !== 0) n++;
    return n;
  }

  isWaiting(id: number): boolean {
    return (this.holders[id]! & CLIENT_WAITING) !== 0;
  }

  private grow(): void {
    const n = this.start.length * 2;
    const g = <T extends Float64Array | Int32Array | Uint8Array>(a: T): T => grown(a, n);
    this.start = g(this.start);
    this.returnDelay = g(this.returnDelay);
    this.load = g(this.load);
    this.server = g(this.server);
    this.completion = g(this.completion);
    this.holders = g(this.holders);
    this.client = g(this.client);
    this.conn = g(this.conn);
    this.proxyDelay = g(this.proxyDelay);
    this.arrivedAt = g(this.arrivedAt);
    this.serviceStart = g(this.serviceStart);
    this.workDone = g(this.workDone);
    this.answered = g(this.answered);
    this.hop = g(this.hop);
  }
}
