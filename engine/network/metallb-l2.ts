/**
 * MetalLB in layer 2 mode: one node answers ARP for a Service's address, and every connection
 * to that address enters the cluster there (one hop), then follows kube-proxy as NodePort
 * traffic does (`externalTrafficPolicy` applies).
 *
 * Which node (speaker/layer2_controller.go ShouldAnnounce): none while the Service has no ready
 * endpoint; otherwise the speakers that memberlist lists as alive, on nodes an L2Advertisement
 * of the address's pool selects, and under `externalTrafficPolicy: Local` only those on nodes
 * with a ready endpoint (nodesWithEndpoint), sorted by sha256(nodeName + "#" + ip) compared
 * bytewise; the first announces. Each time a node starts announcing, its speaker records the
 * event `nodeAssigned`, "announcing from node "NAME" with protocol "layer2"" (speaker/main.go).
 * Speakers are assumed on every node (the speaker DaemonSet tolerates the control-plane taint).
 *
 * Failure detection is memberlist's (hashicorp/memberlist, DefaultLANConfig, as MetalLB's
 * internal/speakerlist/speakerlist.go uses it): each speaker probes one other per
 * ProbeInterval (1 s), in turn; a probe unanswered through ProbeTimeout (0.5 s) and the
 * indirect probes is a failure at the end of the interval, and the node becomes suspect. It is
 * declared dead when its suspicion times out (state.go suspectNode, suspicion.go): min =
 * SuspicionMult (4) x max(1, log10(n)) x ProbeInterval (util.go suspicionTimeout, 4 s below 10
 * nodes), max = SuspicionMaxTimeoutMult (6) x min, shrinking from max towards min as
 * k = SuspicionMult - 2 other members confirm (k = 0 and the timeout is min when n - 2 < k).
 * Then the speakers recompute and the next node in the ordering announces (a gratuitous ARP:
 * clients follow at once). Until then, connections go to the dead node and get no answer.
 * kubesim's probe order is a fixed rotation (memberlist shuffles it each round) and gossip is
 * instantaneous. A node that comes back joins again at the speakers' next periodic join
 * (joinMembers, every minute). Node label changes (the exclude label, the advertisement's
 * nodeSelectors) make the speakers elect again at once (metallb-config.ts followNodeLabels).
 */
import { createHash } from 'node:crypto';
import type { Rng } from '../core/rng.js';
import type { Simulation } from '../core/simulation.js';
import type { EventSink } from './cloud-load-balancer.js';
import type { EntryPoint } from './entry-point.js';
import type { MetalLbL2Config } from './metallb-config.js';
import { announceCandidates } from './metallb-config.js';
import type { ServiceEntry, ServiceTable } from './service-table.js';

/** hashicorp/memberlist DefaultLANConfig, and MetalLB's rejoin period (speakerlist.go joinMembers). */
export const MEMBERLIST_DEFAULTS = Object.freeze({
  probeInterval: 1,
  probeTimeout: 0.5,
  suspicionMult: 4,
  suspicionMaxTimeoutMult: 6,
  rejoinInterval: 60,
});

/** memberlist util.go suspicionTimeout: time.Duration(mult) * time.Duration(nodeScale*1000) * interval / 1000. */
export function suspicionTimeout(suspicionMult: number, n: number, interval: number): number {
  const nodeScale = Math.max(1, Math.log10(Math.max(1, n)));
  return (suspicionMult * Math.floor(nodeScale * 1000) * interval) / 1000;
}

/** memberlist suspicion.go remainingSuspicionTime, as a total from the start of the suspicion, after `confirmations` of `k`. */
export function suspicionTotal(confirmations: number, k: number, min: number, max: number): number {
  if (k < 1) return min;
  const frac = Math.log(confirmations + 1) / Math.log(k + 1);
  const raw = max - frac * (max - min);
  return Math.max(min, Math.floor(1000 * raw) / 1000);
}

/** The speakers' ordering for an address (layer2_controller.go): by sha256(node + "#" + ip), bytewise. */
export function l2Order(nodes: readonly string[], ip: string): string[] {
  const h = new Map(nodes.map((n) => [n, createHash('sha256').update(`${n}#${ip}`).digest()]));
  return [...nodes].sort((a, b) => Buffer.compare(h.get(a)!, h.get(b)!));
}

/** The speakers' memberlist: who is alive as the cluster agrees, with memberlist's failure detection. */
export class Memberlist {
  /** Per node index: 1 while a member (alive or suspect). */
  readonly member: Uint8Array;
  private readonly suspectSince: Float64Array;
  private readonly confirmedBy: (Set<number> | undefined)[];
  private readonly deadline: Float64Array;
  private tick = 0;
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly sim: Simulation,
    private readonly nodeDown: Uint8Array,
    rng: Rng,
    readonly config = MEMBERLIST_DEFAULTS,
  ) {
    const n = nodeDown.length;
    this.member = new Uint8Array(n).fill(1);
    this.suspectSince = new Float64Array(n).fill(-1);
    this.deadline = new Float64Array(n).fill(Infinity);
    this.confirmedBy = new Array(n);
    const probe = () => {
      this.probeRound();
      sim.after(config.probeInterval, probe);
    };
    sim.schedule(rng.float() * config.probeInterval, probe);
    const join = () => {
      this.joinRound();
      sim.after(config.rejoinInterval, join);
    };
    sim.schedule(rng.float() * config.rejoinInterval, join);
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private get alive(): number {
    let c = 0;
    for (const m of this.member) c += m;
    return c;
  }

  /** One probe interval: speaker i probes node (i + 1 + tick mod (n - 1)) mod n, so each node is probed by one other per interval. */
  private probeRound(): void {
    const n = this.member.length;
    if (n < 2) return;
    const shift = 1 + (this.tick++ % (n - 1));
    for (let target = 0; target < n; target++) {
      if (!this.member[target]) continue;
      if (!this.nodeDown[target]) {
        // Alive again before it was declared dead: it refutes the suspicion.
        this.suspectSince[target] = -1;
        this.confirmedBy[target] = undefined;
        this.deadline[target] = Infinity;
        continue;
      }
      const prober = (target - shift + n) % n;
      if (this.nodeDown[prober] || !this.member[prober]) continue;
      // The direct probe (ProbeTimeout) and the indirect ones fail by the end of the interval.
      this.sim.after(this.config.probeInterval, () => this.failedProbe(target, prober));
    }
  }

  private failedProbe(target: number, prober: number): void {
    if (!this.member[target] || !this.nodeDown[target]) return;
    const c = this.config;
    const min = suspicionTimeout(c.suspicionMult, this.alive, c.probeInterval);
    if (this.suspectSince[target]! < 0) {
      this.suspectSince[target] = this.sim.now;
      this.confirmedBy[target] = new Set([prober]);
    } else if (!this.confirmedBy[target]!.has(prober)) this.confirmedBy[target]!.add(prober);
    else return;
    let k = c.suspicionMult - 2;
    if (this.alive - 2 < k) k = 0;
    const confirmations = Math.min(k, this.confirmedBy[target]!.size - 1);
    const at = this.suspectSince[target]! + suspicionTotal(confirmations, k, min, c.suspicionMaxTimeoutMult * min);
    if (at < this.deadline[target]!) {
      this.deadline[target] = at;
      this.sim.schedule(Math.max(at, this.sim.now), () => {
        if (this.deadline[target] === at && this.member[target] && this.nodeDown[target]) this.declareDead(target);
      });
    }
  }

  private declareDead(target: number): void {
    this.member[target] = 0;
    this.suspectSince[target] = -1;
    this.confirmedBy[target] = undefined;
    this.deadline[target] = Infinity;
    for (const l of this.listeners) l();
  }

  private joinRound(): void {
    let joined = false;
    this.member.forEach((m, i) => {
      if (!m && !this.nodeDown[i]) {
        this.member[i] = 1;
        joined = true;
      }
    });
    if (joined) for (const l of this.listeners) l();
  }
}

export interface MetalLbL2Options {
  sim: Simulation;
  services: ServiceTable;
  service: ServiceEntry;
  config: MetalLbL2Config;
  memberlist: Memberlist;
  nodeNames: readonly string[];
  /** LB address to node: one hop, seconds one way. */
  hop: number;
  event?: EventSink;
}

/** The entry of a LoadBalancer Service announced by MetalLB L2: the announcing node, or -1 while `<pending>` or announced by nobody. */
export class MetalLbL2Entry implements EntryPoint {
  readonly external = true;
  readonly hop: number;
  /** The announcing node's index, -1 for none. */
  announcer = -1;
  /** The address it announces (the Service's, from its status), undefined for none. */
  private announcedIp: string | undefined;
  private candidateIp: string | undefined;
  private readonly nodeIndex: ReadonlyMap<string, number>;

  constructor(private readonly o: MetalLbL2Options) {
    this.hop = o.hop;
    this.nodeIndex = new Map(o.nodeNames.map((n, i) => [n, i]));
    o.memberlist.onChange(() => this.elect());
    // A node labelled out of (or back into) the advertisement: the speakers elect again.
    o.config.nodesChanged.push(() => this.elect());
    o.services.onChange((e) => {
      if (e === o.service) this.elect();
    });
    this.elect();
  }

  nodeFor(): number {
    return this.announcer;
  }

  /** The speakers' ordering of eligible nodes for the Service now (ShouldAnnounce), first = announcer. */
  eligibleOrder(): string[] {
    const { service, config, nodeNames, memberlist } = this.o;
    const c = announceCandidates(service, config.pools, config.announcedFrom, nodeNames, (i) => memberlist.member[i] === 1);
    this.candidateIp = c?.ip;
    return c ? l2Order(c.nodes.map((i) => nodeNames[i]!), c.ip) : [];
  }

  private elect(): void {
    const order = this.eligibleOrder();
    const first = order[0];
    const next = first === undefined ? -1 : this.nodeIndex.get(first)!;
    // A new address is a new announcement, even from the same node (speaker/main.go: deleteBalancer "loadBalancerIPChanged", then nodeAssigned).
    const ip = next >= 0 ? this.candidateIp : undefined;
    if (next === this.announcer && ip === this.announcedIp) return;
    this.announcer = next;
    this.announcedIp = ip;
    const svc = this.o.service.service;
    if (next >= 0 && svc && this.o.event) {
      const involved = { kind: 'Service', metadata: { name: svc.metadata.name, namespace: svc.metadata.namespace ?? 'default' } };
      this.o.event('Normal', 'nodeAssigned', involved, `announcing from node "${first}" with protocol "layer2"`);
    }
  }
}
