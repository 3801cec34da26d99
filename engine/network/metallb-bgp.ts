/**
 * MetalLB in BGP mode: every eligible node announces the Service's address to the router, which
 * then has one next hop per announcing node and spreads connections over them by a hash of the
 * flow (ECMP); each connection enters the cluster at its next hop, then follows kube-proxy as
 * NodePort traffic does (`externalTrafficPolicy` applies).
 *
 * Which nodes (speaker/bgp_controller.go ShouldAnnounce): none while the Service has no ready
 * endpoint; otherwise every node whose speaker has its BGP session up and that a BGPAdvertisement
 * of the address's pool selects (`nodeSelectors`), and under `externalTrafficPolicy: Local` only
 * nodes with a ready endpoint. Each node that starts announcing records `nodeAssigned`,
 * "announcing from node "NAME" with protocol "bgp"" (speaker/main.go).
 *
 * Withdrawal: a node that stops being eligible while up (its last local endpoint went) withdraws
 * at once (a BGP UPDATE). A node that powers off sends nothing: the router drops its routes when
 * the session's hold timer expires, `holdTime` (BGPPeer spec.holdTime, default 90 s) after the
 * last KEEPALIVE, which speakers send every keepaliveTime (default holdTime / 3, RFC 4271
 * section 10; metallb-bgp-peer.ts). With a BFD session (BGPPeer spec.bfdProfile) the router
 * declares the session down earlier, when no BFD control packet arrived for its Detection Time
 * (bfd.ts, RFC 5880 section 6.8.4), and withdraws then. Until then new connections hashed to it
 * get no answer. A node that boots again re-establishes its session at its next keepalive tick.
 *
 * Next-hop choice (the router's, not MetalLB's): a hash of the flow (source and destination
 * address and port), then either modulo hashing, next hop = hops[hash mod n] (the classic ECMP of
 * most routers and Linux's hash-threshold equivalent for this purpose), or resilient hashing, a
 * fixed table of buckets (Linux nexthop groups `type resilient`, net/ipv4/nexthop.c; vendors'
 * "resilient ECMP"): a withdrawn hop's buckets go to the remaining hops and other buckets stay,
 * and a new hop takes buckets from the most loaded ones. When the next hop of an established
 * connection changes, its packets reach a node without its connection state: the connection is
 * broken (reset); the request on it fails as `connection_broken` and the client reconnects.
 */
import type { Simulation } from '../core/simulation.js';
import type { Rng } from '../core/rng.js';
import type { EventSink } from './cloud-load-balancer.js';
import type { EntryPoint } from './entry-point.js';
import type { MetalLbL2Config } from './metallb-config.js';
import { announceCandidates } from './metallb-config.js';
import { ipToInt } from './ipv4.js';
import { BGP_CONNECT_RETRY_TIME } from './metallb-bgp-peer.js';
import type { ServiceEntry, ServiceTable } from './service-table.js';

export type EcmpHashing = 'modulo' | 'resilient';

/** Default buckets of the resilient table (Linux `ip nexthop add ... type resilient buckets N`; its default is 128, 64 keeps the table readable); `target.resilientBuckets` sets it. */
export const RESILIENT_BUCKETS = 64;

/**
 * FNV-1a (32 bit) over source address, source port, destination address, destination port, then
 * MurmurHash3's fmix32 finalizer (FNV's low bits depend only on the inputs' low bits, and mod n
 * reads the low bits): a deterministic stand-in for a router's flow hash (CRC or Toeplitz).
 */
export function flowHash(srcIp: number, srcPort: number, dstIp: number, dstPort: number): number {
  let h = 0x811c9dc5;
  const mix = (v: number, bytes: number) => {
    for (let i = bytes - 1; i >= 0; i--) {
      h ^= (v >>> (8 * i)) & 0xff;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  };
  mix(srcIp, 4);
  mix(srcPort, 2);
  mix(dstIp, 4);
  mix(dstPort, 2);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A resilient hashing table: bucket -> next hop. Built from nothing as bucket i -> hops[i mod n].
 * On a change, a withdrawn hop's buckets go, in bucket order, each to the hop that has the fewest
 * buckets (ties: first in `hops`); then each new hop, in `hops` order, takes buckets until it has
 * floor(buckets / n), each time the lowest-numbered bucket of the hop with the most (ties: first).
 */
export class ResilientTable {
  readonly owner: Int32Array;
  constructor(buckets = RESILIENT_BUCKETS) {
    this.owner = new Int32Array(buckets).fill(-1);
  }

  update(hops: readonly number[]): void {
    const b = this.owner;
    if (hops.length === 0) return void b.fill(-1);
    const count = new Map(hops.map((h) => [h, 0]));
    for (const o of b) if (count.has(o)) count.set(o, count.get(o)! + 1);
    if ([...count.values()].every((c) => c === 0)) {
      for (let i = 0; i < b.length; i++) b[i] = hops[i % hops.length]!;
      return;
    }
    const pick = (better: (a: number, b: number) => boolean, among: readonly number[]) => among.reduce((best, h) => (better(count.get(h)!, count.get(best)!) ? h : best));
    for (let i = 0; i < b.length; i++) {
      if (count.has(b[i]!)) continue;
      const to = pick((x, y) => x < y, hops);
      b[i] = to;
      count.set(to, count.get(to)! + 1);
    }
    const target = Math.floor(b.length / hops.length);
    // A donor only loses buckets here, lowest first: resuming its search where it stopped finds the
    // same bucket as searching from 0, in one pass over the table per donor (thousands of buckets).
    const cursor = new Map<number, number>();
    for (const h of hops) {
      while (count.get(h)! < target) {
        const from = pick((x, y) => x > y, hops);
        const i = b.indexOf(from, cursor.get(from) ?? 0);
        cursor.set(from, i + 1);
        b[i] = h;
        count.set(from, count.get(from)! - 1);
        count.set(h, count.get(h)! + 1);
      }
    }
  }
}

/** The speakers' BGP timers as the router sees them, seconds (metallb-bgp-peer.ts); 0 switches the hold timer (and keepalives) off. */
export interface BgpTimers {
  holdTime: number;
  keepaliveTime: number;
}

/** A BFD session per speaker: how often it sends and the router's Detection Time (bfd.ts). */
export interface BfdTimers {
  transmitInterval: number;
  detectionTime: number;
  rng: Rng;
}

/**
 * The router's BGP sessions with the speakers, one per node: up while keepalives arrive within the
 * hold time and, with BFD, while BFD control packets arrive within the Detection Time.
 */
export class BgpSessions {
  readonly up: Uint8Array;
  private readonly heard: Float64Array;
  private readonly bfdHeard: Float64Array;
  private readonly bfdArmed: Uint8Array;
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly sim: Simulation,
    private readonly nodeDown: Uint8Array,
    readonly timers: BgpTimers,
    rng: Rng,
    private readonly bfd?: BfdTimers,
  ) {
    const n = nodeDown.length;
    this.up = new Uint8Array(n).fill(1);
    this.heard = new Float64Array(n);
    this.bfdHeard = new Float64Array(n);
    this.bfdArmed = new Uint8Array(n);
    // Without keepalives (hold time 0) a rebooted speaker opens its new session at the connect retry timer.
    const keepalive = timers.keepaliveTime > 0 ? timers.keepaliveTime : BGP_CONNECT_RETRY_TIME;
    for (let node = 0; node < n; node++) {
      const tick = () => {
        this.keepalive(node);
        sim.after(keepalive, tick);
      };
      sim.schedule(rng.float() * keepalive, tick);
    }
    if (bfd) {
      for (let node = 0; node < n; node++) {
        const send = () => {
          this.bfdPacket(node);
          sim.after(bfd.transmitInterval, send);
        };
        sim.schedule(bfd.rng.float() * bfd.transmitInterval, send);
      }
    }
  }

  get holdTime(): number {
    return this.timers.holdTime;
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private keepalive(node: number): void {
    if (this.nodeDown[node]) return;
    const at = (this.heard[node] = this.sim.now);
    if (!this.up[node]) this.set(node, 1);
    if (this.timers.holdTime === 0) return;
    this.sim.after(this.timers.holdTime, () => {
      if (this.heard[node] === at && this.up[node]) this.set(node, 0);
    });
  }

  /** A control packet from a powered speaker re-arms the router's detection timer (RFC 5880 section 6.8.6). */
  private bfdPacket(node: number): void {
    if (this.nodeDown[node]) return;
    this.bfdHeard[node] = this.sim.now;
    if (this.bfdArmed[node]) return;
    this.bfdArmed[node] = 1;
    this.sim.after(this.bfd!.detectionTime, () => this.bfdDetect(node));
  }

  /** One timer per session: at its deadline, re-armed from the last packet, or the session goes down (section 6.8.4). */
  private bfdDetect(node: number): void {
    const due = this.bfdHeard[node]! + this.bfd!.detectionTime;
    if (due > this.sim.now) return void this.sim.schedule(due, () => this.bfdDetect(node));
    this.bfdArmed[node] = 0;
    if (this.up[node]) this.set(node, 0);
  }

  private set(node: number, up: 0 | 1): void {
    this.up[node] = up;
    for (const l of this.listeners) l();
  }
}

export interface MetalLbBgpOptions {
  sim: Simulation;
  services: ServiceTable;
  service: ServiceEntry;
  config: MetalLbL2Config;
  sessions: BgpSessions;
  nodeNames: readonly string[];
  hashing: EcmpHashing;
  /** Buckets of the resilient table; default RESILIENT_BUCKETS. */
  buckets?: number;
  /** Number of clients, and each client's source address. */
  clients: number;
  clientIp: (client: number) => number;
  /** The Service port the clients connect to; default the Service's first port. */
  port?: number;
  /** Router to node: one hop, seconds one way. */
  hop: number;
  event?: EventSink;
}

/** Linux's default ephemeral port range (net.ipv4.ip_local_port_range 32768-60999): each client's successive connections take successive ports. */
const PORT_FIRST = 32768;
const PORTS = 60999 - 32768 + 1;

/** The entry of a LoadBalancer Service announced by MetalLB over BGP: the router's ECMP next hop of each flow. */
export class MetalLbBgpEntry implements EntryPoint {
  readonly external = true;
  readonly hop: number;
  /** Announcing nodes (indexes), in node order: the router's next hops. */
  hops: number[] = [];
  /** The Service's address as a number (flow hash input); read with the hops, valid while there are any. */
  private vip = 0;
  readonly table: ResilientTable;
  private readonly announcing: Uint8Array;
  private readonly connections: Int32Array;
  private readonly flow: Uint32Array;
  private readonly flowNode: Int32Array;

  constructor(private readonly o: MetalLbBgpOptions) {
    this.hop = o.hop;
    this.table = new ResilientTable(o.buckets ?? RESILIENT_BUCKETS);
    this.announcing = new Uint8Array(o.nodeNames.length);
    this.connections = new Int32Array(o.clients);
    this.flow = new Uint32Array(o.clients);
    this.flowNode = new Int32Array(o.clients).fill(-1);
    o.sessions.onChange(() => this.recompute());
    // A node labelled out of the advertisement withdraws its route at once (a BGP UPDATE), one labelled back in announces.
    o.config.nodesChanged.push(() => this.recompute());
    o.services.onChange((e) => {
      if (e === o.service) this.recompute();
    });
    this.recompute();
  }

  private pick(hash: number): number {
    if (this.hops.length === 0) return -1;
    return this.o.hashing === 'modulo' ? this.hops[hash % this.hops.length]! : this.table.owner[hash % this.table.owner.length]!;
  }

  nodeFor(client: number): number {
    if (this.hops.length === 0) return -1;
    const srcPort = PORT_FIRST + (this.connections[client]!++ % PORTS);
    const dstPort = this.o.port ?? this.o.service.service?.spec.ports[0]?.port ?? 0;
    this.flow[client] = flowHash(this.o.clientIp(client), srcPort, this.vip, dstPort);
    return (this.flowNode[client] = this.pick(this.flow[client]!));
  }

  /** False when the router now sends the client's established flow to another node than the one it opened on. */
  keeps(client: number): boolean {
    return this.pick(this.flow[client]!) === this.flowNode[client];
  }

  /** Re-reads which nodes announce the address (ShouldAnnounce: BGP session up), in node order. */
  private recompute(): void {
    const { service, config, nodeNames, sessions } = this.o;
    const candidates = announceCandidates(service, config.pools, config.bgpFrom, nodeNames, (i) => sessions.up[i] === 1);
    const vip = candidates ? ipToInt(candidates.ip) : this.vip;
    const next = candidates?.nodes ?? [];
    // A new address is announced anew by every node (speaker/main.go: deleteBalancer "loadBalancerIPChanged", then nodeAssigned).
    const readdressed = vip !== this.vip && this.hops.length > 0 && next.length > 0;
    this.vip = vip;
    if (!readdressed && next.length === this.hops.length && next.every((h, i) => h === this.hops[i])) return;
    this.hops = next;
    this.table.update(next);
    if (readdressed) this.announcing.fill(0);
    const svc = this.o.service.service;
    for (let i = 0; i < this.announcing.length; i++) {
      const now = next.includes(i) ? 1 : 0;
      if (now && !this.announcing[i] && svc && this.o.event) {
        const involved = { kind: 'Service', metadata: { name: svc.metadata.name, namespace: svc.metadata.namespace ?? 'default' } };
        this.o.event('Normal', 'nodeAssigned', involved, `announcing from node "${this.o.nodeNames[i]}" with protocol "bgp"`);
      }
      this.announcing[i] = now;
    }
  }
}
