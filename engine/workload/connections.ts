/**
 * Clients' TCP connections. kube-proxy chooses the endpoint when a connection opens; later
 * requests on it follow the conntrack entry to the same pod without touching the Service
 * rules (HTTP keep-alive). A connection is closed after `requestsPerConnection` requests,
 * after a failed request, or when its pod stops listening (a client then reconnects); IPVS
 * counts it as active until it closes. Ids index typed arrays and are reused.
 */
import { grown } from '../core/typed-arrays.js';
import type { Backends } from '../network/backends.js';

export class ConnectionTable {
  node = new Int32Array(256);
  server = new Int32Array(256);
  remaining = new Int32Array(256);
  inFlight = new Int32Array(256);
  /** One-way latency from the client to the pod (hops), and whether it crossed to another node. */
  oneWay = new Float64Array(256);
  extraHop = new Uint8Array(256);
  podUid: string[] = [];
  backends: (Backends | undefined)[] = [];
  private free: number[] = [];
  private used = 0;

  open(node: number, server: number, podUid: string, backends: Backends | undefined, requests: number, oneWay: number, extraHop: boolean): number {
    const c = this.free.length > 0 ? this.free.pop()! : this.used++;
    if (c === this.node.length) this.grow();
    this.node[c] = node;
    this.server[c] = server;
    this.podUid[c] = podUid;
    this.backends[c] = backends;
    this.remaining[c] = requests;
    this.inFlight[c] = 0;
    this.oneWay[c] = oneWay;
    this.extraHop[c] = extraHop ? 1 : 0;
    return c;
  }

  /** A request ended on connection c; `keep` false closes it. Returns true when the connection closed. */
  ended(c: number, keep: boolean): boolean {
    this.inFlight[c]!--;
    if (!keep) this.remaining[c] = 0;
    if (this.remaining[c]! > 0 || this.inFlight[c]! > 0) return false;
    this.backends[c]?.closed(this.podUid[c]!);
    this.backends[c] = undefined;
    this.free.push(c);
    return true;
  }

  private grow(): void {
    const n = this.node.length * 2;
    const g = <T extends Float64Array | Int32Array | Uint8Array>(a: T): T => grown(a, n);
    this.node = g(this.node);
    this.server = g(this.server);
    this.remaining = g(this.remaining);
    this.inFlight = g(this.inFlight);
    this.oneWay = g(this.oneWay);
    this.extraHop = g(this.extraHop);
  }
}
