/**
 * The way of one load's requests into the cluster: the client's connection (reused while it
 * has requests left and its pod listens, so conntrack skips the Service rules), else a new
 * one through the entry point to an entry node, whose kube-proxy picks the endpoint as its
 * last rule sync programmed it; then the hops to the pod (one more when the pod is on another
 * node) and the pod's own queue. Failures on the way are counted where they happen; client
 * timeouts are kept in one FIFO per load (every request of a load has the same timeout, so
 * they expire in send order: one timer per load instead of one per request).
 */
import type { HandlerId, Simulation, EventHandle } from '../core/simulation.js';
import type { FailureReason, TrafficStats } from '../metrics/traffic-stats.js';
import type { EntryPoint } from '../network/entry-point.js';
import type { KubeProxies } from '../network/kube-proxy.js';
import type { ServiceEntry } from '../network/service-table.js';
import type { LoadSpec } from '../scenario/types.js';
import type { ConnectionTable } from './connections.js';
import { IntRing } from './int-ring.js';
import type { PodServers } from './pod-servers.js';
import { CLIENT_WAITING, IN_TIMEOUT_FIFO, SERVER_HOLDS, type RequestTable } from './request-table.js';

export interface PathDeps {
  sim: Simulation;
  table: RequestTable;
  stats: TrafficStats;
  servers: PodServers;
  proxies: KubeProxies;
  connections: ConnectionTable;
  hopLatency: number;
  /** Node index by name. */
  nodeIndex: ReadonlyMap<string, number>;
  /** 1 for a node that is down (a fault action): what is sent to it vanishes. */
  nodeDown: Uint8Array;
  /** Delivery to a pod (registered once: PodServers.arrive). */
  deliverHandler: HandlerId;
}

/** Client source addresses: 100.64.0.0/10 (RFC 6598 shared space), far from node and pod ranges. */
export const CLIENT_BASE = 0x64400000;

export class RequestPath {
  private readonly fifo = new IntRing(1024);
  private timer: EventHandle | undefined;
  private readonly timeoutHandler: HandlerId;
  /** Each client's current connection, -1 for none. */
  private readonly clientConn: Int32Array;
  private readonly countConnections: boolean;

  constructor(
    private readonly deps: PathDeps,
    private readonly spec: LoadSpec,
    private readonly loadIndex: number,
    private readonly serviceIndex: number,
    private readonly service: ServiceEntry,
    private readonly entry: EntryPoint,
    clients: number,
  ) {
    this.clientConn = new Int32Array(clients).fill(-1);
    this.countConnections = deps.proxies.config.mode === 'ipvs';
    this.timeoutHandler = deps.sim.register(() => this.expire());
  }

  /** A new request from client `client` (an index below the `clients` given). */
  send(client: number): void {
    const { sim, table, stats } = this.deps;
    stats.sent(this.serviceIndex);
    const id = table.alloc();
    table.start[id] = sim.now;
    table.load[id] = this.loadIndex;
    table.client[id] = client;
    table.holders[id] = CLIENT_WAITING;
    this.route(id, client);
  }

  /** The request's client stopped waiting: its connection may close. */
  clientDone(id: number): void {
    const c = this.deps.table.conn[id]!;
    if (c < 0) return;
    const client = this.deps.table.client[id]!;
    if (this.deps.connections.ended(c, this.deps.table.answered[id] === 1) && this.clientConn[client] === c) this.clientConn[client] = -1;
  }

  private route(id: number, client: number): void {
    const { stats, servers, connections: conns, nodeDown } = this.deps;
    let c = this.clientConn[client]!;
    if (c >= 0 && conns.remaining[c]! > 0 && servers.accepting(conns.server[c]!) && !nodeDown[conns.node[c]!]) {
      if (this.entry.keeps && !this.entry.keeps(client)) {
        // Remapped to a node without its conntrack entry: reset; the client reconnects for its next request.
        this.clientConn[client] = -1;
        conns.remaining[c] = 0;
        return this.fail(id, 'connection_broken');
      }
      // An established connection: conntrack sends it where it went, no Service rules.
      const node = conns.node[c]!;
      stats.nodeEntered[node]!++;
      if (conns.extraHop[c]) stats.nodeExtraHops[node]!++;
      return this.deliver(id, c, 0);
    }
    if (c >= 0) {
      this.clientConn[client] = -1;
      conns.remaining[c] = 0;
    }
    const node = this.entry.nodeFor(client);
    if (node < 0) return this.fail(id, 'no_endpoints');
    stats.nodeEntered[node]!++;
    if (nodeDown[node]) return this.vanish(id);
    const proxy = this.deps.proxies.nodes[node]!;
    const clientIp = CLIENT_BASE + (client % this.spec.clients.sourceIPs);
    const endpoint = proxy.choose(this.service, clientIp, this.entry.external);
    if (!endpoint) return this.fail(id, proxy.failure);
    const podNode = this.deps.nodeIndex.get(endpoint.nodeName)!;
    const extraHop = podNode !== node;
    if (extraHop) stats.nodeExtraHops[node]!++;
    if (nodeDown[podNode] || servers.blackholed(endpoint.podUid)) return this.vanish(id);
    const server = servers.listening(endpoint.podUid);
    // Not listening: refused if the cluster still lists it as ready, stale if only this node's rules do.
    if (server < 0) return this.fail(id, this.service.readyUids.has(endpoint.podUid) ? 'connection_refused' : 'stale_endpoint');
    const oneWay = this.entry.hop + (extraHop ? this.deps.hopLatency : 0);
    // Only IPVS schedulers read connection counts (lc, wlc, sed, nq).
    const counted = this.countConnections ? proxy.backends : undefined;
    counted?.opened(proxy.chosen);
    c = conns.open(node, server, endpoint.podUid, counted, this.spec.clients.requestsPerConnection, oneWay, extraHop);
    this.clientConn[client] = c;
    this.deliver(id, c, proxy.cost);
  }

  private deliver(id: number, c: number, proxyCost: number): void {
    const { sim, table, connections: conns } = this.deps;
    conns.remaining[c]!--;
    conns.inFlight[c]!++;
    table.conn[id] = c;
    table.server[id] = conns.server[c]!;
    table.returnDelay[id] = conns.oneWay[c]!;
    table.proxyDelay[id] = proxyCost;
    table.holders[id] |= SERVER_HOLDS | IN_TIMEOUT_FIFO;
    this.fifo.push(id);
    if (this.timer === undefined) this.armTimer();
    sim.after(conns.oneWay[c]! + proxyCost, this.deps.deliverHandler, id);
  }

  private fail(id: number, reason: FailureReason): void {
    this.deps.stats.failed(this.serviceIndex, reason);
    this.deps.table.release(id, CLIENT_WAITING);
  }

  /** A request sent to a machine that is off, or dropped on the way: no answer, no refusal; the client times out. */
  private vanish(id: number): void {
    this.deps.table.holders[id] |= IN_TIMEOUT_FIFO;
    this.fifo.push(id);
    if (this.timer === undefined) this.armTimer();
  }

  private armTimer(): void {
    const { table, sim } = this.deps;
    while (this.fifo.size > 0 && !table.isWaiting(this.fifo.peek())) table.release(this.fifo.shift(), IN_TIMEOUT_FIFO);
    this.timer = this.fifo.size > 0 ? sim.schedule(table.start[this.fifo.peek()]! + this.spec.timeout, this.timeoutHandler) : undefined;
  }

  private expire(): void {
    const { table, sim, stats } = this.deps;
    const now = sim.now;
    while (this.fifo.size > 0) {
      const id = this.fifo.peek();
      if (table.isWaiting(id)) {
        if (table.start[id]! + this.spec.timeout > now) break;
        stats.failed(this.serviceIndex, 'timeout');
        table.release(id, CLIENT_WAITING);
      }
      table.release(this.fifo.shift(), IN_TIMEOUT_FIFO);
    }
    this.armTimer();
  }
}
