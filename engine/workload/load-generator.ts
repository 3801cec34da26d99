/**
 * Open-loop load: requests arrive at a fixed rate (constant spacing) or as a Poisson process
 * (exponential gaps), whatever the cluster answers, as real users do. Each request enters the
 * cluster the way its target says:
 *  - NodePort: the client sends to node IPs in turn (round robin over `target.nodes`, default
 *    every node), one network hop; that node's kube-proxy picks an endpoint;
 *  - ClusterIP: the client is a pod on one of `target.nodes` (in turn); its own node's
 *    kube-proxy picks the endpoint, no hop to enter.
 * kube-proxy (iptables mode) picks uniformly among ready endpoints; an endpoint on another node
 * costs one more hop (and counts as an extra hop on the entry node).
 *
 * Client timeouts: every request of a load has the same timeout, so they expire in arrival
 * order; one FIFO and one timer per load replace a timer per request.
 */
import type { Simulation, EventHandle, HandlerId } from '../core/simulation.js';
import type { Rng } from '../core/rng.js';
import type { LoadSpec } from '../scenario/types.js';
import type { TrafficStats } from '../metrics/traffic-stats.js';
import type { ServiceEntry, ServiceTable } from '../network/service-table.js';
import { IntRing } from './int-ring.js';
import type { PodServers } from './pod-servers.js';
import { CLIENT_WAITING, IN_TIMEOUT_FIFO, SERVER_HOLDS, type RequestTable } from './request-table.js';

export interface LoadGeneratorDeps {
  sim: Simulation;
  table: RequestTable;
  stats: TrafficStats;
  services: ServiceTable;
  servers: PodServers;
  hopLatency: number;
  /** Node index by name. */
  nodeIndex: ReadonlyMap<string, number>;
  /** 1 for a node that is down (a fault action): what is sent to it vanishes. */
  nodeDown: Uint8Array;
}

export class LoadGenerator {
  private readonly arrivalsRng: Rng;
  private readonly routeRng: Rng;
  private readonly fifo = new IntRing(1024);
  private timer: EventHandle | undefined;
  private nextNode = 0;
  private readonly entryNodes: number[];
  private readonly entryHop: number;
  private readonly service: ServiceEntry;
  private readonly arriveHandler: HandlerId;
  private readonly deliverHandler: HandlerId;
  private readonly timeoutHandler: HandlerId;

  constructor(
    private readonly deps: LoadGeneratorDeps,
    private readonly spec: LoadSpec,
    private readonly loadIndex: number,
    private readonly serviceIndex: number,
    entryNodeNames: string[],
  ) {
    this.arrivalsRng = deps.sim.stream(`load/${spec.name}/arrivals`);
    this.routeRng = deps.sim.stream(`kube-proxy/${spec.name}`);
    this.entryNodes = entryNodeNames.map((n) => deps.nodeIndex.get(n)!);
    this.entryHop = spec.target.via === 'NodePort' ? deps.hopLatency : 0;
    this.service = deps.services.entryFor(spec.target.namespace, spec.target.service);
    // Registered: these fire once or twice per request, so they skip per-event callback storage.
    this.arriveHandler = deps.sim.register(() => this.arrive());
    this.deliverHandler = deps.sim.register((id) => deps.servers.arrive(id));
    this.timeoutHandler = deps.sim.register(() => this.expire());
  }

  start(): void {
    const first = this.spec.start + this.gap();
    if (first < this.spec.stop) this.deps.sim.schedule(first, this.arriveHandler);
  }

  private gap(): number {
    const rate = this.spec.arrivals.rate;
    return this.spec.arrivals.type === 'constant' ? 1 / rate : -Math.log(1 - this.arrivalsRng.float()) / rate;
  }

  private arrive(): void {
    const { sim, table, stats } = this.deps;
    const now = sim.now;
    const next = now + this.gap();
    if (next < this.spec.stop) sim.schedule(next, this.arriveHandler);

    stats.sent(this.serviceIndex);
    const id = table.alloc();
    table.start[id] = now;
    table.load[id] = this.loadIndex;
    table.holders[id] = CLIENT_WAITING;
    this.route(id);
  }

  private route(id: number): void {
    const { sim, table, stats, servers, hopLatency, nodeIndex, nodeDown } = this.deps;
    const entryNode = this.entryNodes[this.nextNode]!;
    this.nextNode = (this.nextNode + 1) % this.entryNodes.length;
    stats.nodeEntered[entryNode]!++;
    if (nodeDown[entryNode]) return this.vanish(id);
    const ready = this.service.ready;
    if (ready.length === 0) {
      stats.failed(this.serviceIndex, 'no_endpoints');
      table.release(id, CLIENT_WAITING);
      return;
    }
    const endpoint = ready.length === 1 ? ready[0]! : ready[this.routeRng.int(ready.length)]!;
    let oneWay = this.entryHop;
    if (nodeIndex.get(endpoint.nodeName) !== entryNode) {
      oneWay += hopLatency;
      stats.nodeExtraHops[entryNode]!++;
    }
    if (nodeDown[nodeIndex.get(endpoint.nodeName)!] || servers.blackholed(endpoint.podUid)) return this.vanish(id);
    const server = servers.listening(endpoint.podUid);
    if (server < 0) {
      stats.failed(this.serviceIndex, 'connection_refused');
      table.release(id, CLIENT_WAITING);
      return;
    }
    table.server[id] = server;
    table.returnDelay[id] = oneWay;
    table.holders[id] |= SERVER_HOLDS | IN_TIMEOUT_FIFO;
    this.fifo.push(id);
    if (this.timer === undefined) this.armTimer();
    sim.after(oneWay, this.deliverHandler, id);
  }

  /** A request sent to a machine that is off: no answer, no refusal; the client times out. */
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
