/**
 * kube-proxy on every node: the data-path choice of an endpoint for each new connection
 * (virtual-server.ts, by mode) with its per-connection cost, and the control-plane side, rule
 * syncs. A change of a Service or its EndpointSlices reaches each node's kube-proxy through its
 * watch; the node applies it at its next sync, which runs no sooner than `minSyncPeriod` after
 * the previous one started and at least every `syncPeriod` (upstream's BoundedFrequencyRunner,
 * pkg/util/async/bounded_frequency_runner.go), and takes effect when the sync finishes. A sync
 * takes `syncBase + iptablesSyncPerRule x rules` in iptables mode (the ruleset is restored
 * whole) and `syncBase + perChange x changed Services` in ipvs and nftables modes
 * (incremental). Until then the node routes with its old rules: to pods already gone, or
 * not yet to new ones. Each node's periodic syncs start at its own random phase, so nodes
 * catch up at different times, as real nodes do.
 */
import type { Rng } from '../core/rng.js';
import type { EventHandle, Simulation } from '../core/simulation.js';
import type { KubeProxyConfig } from './kube-proxy-config.js';
import type { Endpoint, ServiceEntry, ServiceTable } from './service-table.js';
import { VirtualServer, type ProxyFailure } from './virtual-server.js';
import type { Backends } from './backends.js';

/** iptables rules kube-proxy writes for a Service: per port, a KUBE-SERVICES rule, one KUBE-SVC jump and two KUBE-SEP rules (masquerade mark, DNAT) per endpoint, two more for a node port. */
function iptablesRules(entry: ServiceEntry): number {
  const svc = entry.service;
  if (!svc) return 0;
  const nodePort = svc.spec.type === 'NodePort' || svc.spec.type === 'LoadBalancer' ? 2 : 0;
  return svc.spec.ports.length * (1 + 3 * entry.ready.length + nodePort);
}

export class NodeProxy {
  private readonly servers: (VirtualServer | undefined)[] = [];
  private readonly pending = new Set<number>();
  private lastSyncStart = -Infinity;
  private syncing = false;
  private running = true;
  private scheduled: EventHandle | undefined;
  /** Services and node ports in this node's iptables chains (KUBE-SERVICES, KUBE-NODEPORTS). */
  private chainServices = 0;
  private chainNodePorts = 0;
  /** Set by `choose`: seconds the kernel spent on the new connection's rules; why no endpoint; the list and index chosen. */
  cost = 0;
  failure: ProxyFailure = 'no_endpoints';
  backends: Backends | undefined;
  chosen = -1;
  /** Rule syncs finished, and the longest one (seconds). */
  syncs = 0;
  longestSync = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly owner: KubeProxies,
    readonly nodeName: string,
    private readonly rng: Rng,
  ) {
    const period = owner.config.syncPeriod;
    const periodic = () => {
      this.startSync();
      sim.after(period, periodic);
    };
    sim.schedule(rng.float() * period, periodic);
  }

  /** The Service as this node last programmed it (undefined before its first sync). */
  server(index: number): VirtualServer | undefined {
    return this.servers[index];
  }

  /**
   * The endpoint for a new connection to the Service from `clientIp` entering at this node
   * (`external`: from outside the cluster), or undefined (the VirtualServer's `failure`, or
   * no_endpoints before any sync). Sets `cost`.
   */
  choose(entry: ServiceEntry, clientIp: number, external: boolean): Endpoint | undefined {
    const vs = this.servers[entry.index];
    const config = this.owner.config;
    if (config.mode !== 'iptables') this.cost = config.costs.constantLookup;
    if (!vs) {
      if (config.mode === 'iptables') this.cost = config.costs.iptablesPerRule * this.chainServices;
      this.failure = 'no_endpoints';
      return undefined;
    }
    const e = vs.choose(clientIp, external, this.sim.now, this.rng);
    this.failure = vs.failure;
    this.backends = vs.backends;
    this.chosen = vs.chosen;
    if (config.mode === 'iptables') {
      // KUBE-SERVICES is walked in order to the Service's rule (half of it on average); node
      // port traffic falls through all of it to KUBE-NODEPORTS. Then the KUBE-SVC rules
      // tested and the two KUBE-SEP rules.
      const before = external && vs.nodePort ? this.chainServices + (this.chainNodePorts + 1) / 2 : (this.chainServices + 1) / 2;
      this.cost = config.costs.iptablesPerRule * (before + vs.rulesTested + (e ? 2 : 0));
    }
    return e;
  }

  changed(index: number): void {
    this.pending.add(index);
    this.requestSync();
  }

  /** kube-proxy stops (a fault action): no sync runs, the programmed rules stay as they are. */
  stop(): void {
    this.running = false;
  }

  /** It starts again: a full sync of whatever changed meanwhile. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.startSync();
  }

  private requestSync(): void {
    if (!this.running || this.syncing || this.scheduled !== undefined) return;
    this.scheduled = this.sim.schedule(Math.max(this.sim.now, this.lastSyncStart + this.owner.config.minSyncPeriod), () => {
      this.scheduled = undefined;
      this.startSync();
    });
  }

  private startSync(): void {
    if (this.syncing || !this.running) return;
    if (this.scheduled !== undefined) {
      this.sim.cancel(this.scheduled);
      this.scheduled = undefined;
    }
    const { sim, owner } = this;
    const config = owner.config;
    this.syncing = true;
    this.lastSyncStart = sim.now;
    // What the informer cache holds now is what this sync writes.
    const changed = [...this.pending].map((i) => owner.services.all[i]!).map((entry) => ({ entry, service: entry.service, ready: entry.ready }));
    this.pending.clear();
    const duration =
      config.costs.syncBase + (config.mode === 'iptables' ? config.costs.iptablesSyncPerRule * owner.totalRules : config.costs.perChange * changed.length);
    sim.after(duration, () => {
      for (const { entry, service, ready } of changed) this.apply(entry.index, service, ready);
      this.syncing = false;
      this.syncs++;
      this.longestSync = Math.max(this.longestSync, duration);
      if (this.pending.size > 0) this.requestSync();
    });
  }

  private apply(index: number, service: ServiceEntry['service'], ready: readonly Endpoint[]): void {
    const old = this.servers[index];
    if (old?.service) {
      this.chainServices--;
      if (old.nodePort) this.chainNodePorts--;
    }
    const vs = new VirtualServer(service, ready, this.nodeName, this.owner.config, old);
    this.servers[index] = vs;
    if (service) {
      this.chainServices++;
      if (vs.nodePort) this.chainNodePorts++;
    }
  }
}

export class KubeProxies {
  readonly nodes: NodeProxy[];
  /** Rules of the whole iptables ruleset, as the informers see it. */
  totalRules = 0;
  private readonly rulesOf: number[] = [];

  constructor(
    sim: Simulation,
    readonly services: ServiceTable,
    nodeNames: readonly string[],
    readonly config: KubeProxyConfig,
  ) {
    this.nodes = nodeNames.map((name) => new NodeProxy(sim, this, name, sim.stream(`kube-proxy/${name}`)));
    services.onChange((entry) => {
      const rules = iptablesRules(entry);
      this.totalRules += rules - (this.rulesOf[entry.index] ?? 0);
      this.rulesOf[entry.index] = rules;
      for (const n of this.nodes) n.changed(entry.index);
    });
  }
}
