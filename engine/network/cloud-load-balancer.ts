/**
 * A LoadBalancer Service through a cloud provider's passthrough (L4) load balancer: clients
 * send to the LB's address, the LB sends each new connection to one node of its pool (on the
 * Service's node port, one hop away) and that node's kube-proxy takes it from there, as for
 * NodePort traffic (`externalTrafficPolicy` applies).
 *
 * The pool is kept by health checks, each node probed on its own phase every `checkInterval`:
 *  - `externalTrafficPolicy: Local`: the LB probes the Service's `healthCheckNodePort`, where
 *    kube-proxy answers 200 only while its last rule sync gave the node a ready local endpoint,
 *    503 otherwise (pkg/proxy/healthcheck/service_health.go);
 *  - `Cluster`: the LB probes kube-proxy's own healthz (port 10256, KEP-3836), which answers
 *    while the node is up.
 * A node that is down answers nothing: its probe fails after `timeout`. A node leaves the pool
 * after `unhealthyThreshold` consecutive failures and comes back after `healthyThreshold`
 * consecutive successes. Defaults are GKE's for Services (kubernetes/ingress-gce
 * pkg/healthchecksl4/healthchecksl4.go): Local 3 s interval, 1 s timeout, healthy 1, unhealthy
 * 2 ("2 * 3 = 6 seconds before the LB will steer traffic away"); Cluster (the shared check)
 * 8 s, 1 s, 1, 3. Nodes start unprobed, outside the pool, and join at their first passing check.
 *
 * New connections are spread over the pool in turn (round robin) or at random; when no node
 * is healthy the LB spreads over every backend, as Google Cloud's passthrough Network Load
 * Balancer does when all backends are unhealthy ("traffic distribution" in its docs).
 * Established connections stay where they are (the LB's connection tracking).
 *
 * The backends are the nodes the service controller hands the cloud (load-balancer-hosts.ts):
 * a node labelled node.kubernetes.io/exclude-from-external-load-balancers, as kubeadm labels
 * control-plane nodes, is never probed and never gets a connection. With no backend at all the
 * controller records UnAvailableLoadBalancer and connections find no way in (no_endpoints).
 * The backends follow the controller's node sync during a run (service-controller.ts,
 * `setBackends`): a node taken out gets no new connection and is no longer probed; a node put
 * back is probed at once and joins at its first passing check.
 */
import type { InvolvedObject } from '../api/context.js';
import type { Rng } from '../core/rng.js';
import type { Simulation } from '../core/simulation.js';
import type { EventType } from '../metrics/observer.js';
import type { EntryPoint } from './entry-point.js';
import type { KubeProxies } from './kube-proxy.js';
import type { ServiceEntry, ServiceTable } from './service-table.js';
import { externalPolicy } from './traffic-policy.js';

export interface HealthCheckSettings {
  /** Seconds between two probes of one node. */
  checkInterval: number;
  /** Seconds a probe waits for an answer from a node that does not answer. */
  timeout: number;
  /** Consecutive passing probes for a node to (re)join the pool. */
  healthyThreshold: number;
  /** Consecutive failing probes for a node to leave the pool. */
  unhealthyThreshold: number;
}

/** GKE's L4 health checks for Services (kubernetes/ingress-gce pkg/healthchecksl4/healthchecksl4.go). */
export const CLOUD_LB_HEALTH_CHECKS: Readonly<Record<'Local' | 'Cluster', Readonly<HealthCheckSettings>>> = Object.freeze({
  Local: Object.freeze({ checkInterval: 3, timeout: 1, healthyThreshold: 1, unhealthyThreshold: 2 }),
  Cluster: Object.freeze({ checkInterval: 8, timeout: 1, healthyThreshold: 1, unhealthyThreshold: 3 }),
});

/**
 * The external addresses the cloud gives its load balancers, in the order `services` lists
 * them (namespace/name keys): the RFC 5737 documentation blocks TEST-NET-3, -2, -1
 * (203.0.113.0/24, 198.51.100.0/24, 192.0.2.0/24), .1 to .254 each, standing in for a
 * provider's ephemeral public IPs so that outputs never show an address someone owns. A
 * Service beyond the 762 addresses gets none (it stays <pending>).
 */
export function cloudLoadBalancerAddresses(services: readonly string[]): Map<string, string> {
  const blocks = ['203.0.113', '198.51.100', '192.0.2'];
  const out = new Map<string, string>();
  for (const key of services) {
    const i = out.size;
    if (out.has(key) || i >= blocks.length * 254) continue;
    out.set(key, `${blocks[Math.floor(i / 254)]}.${(i % 254) + 1}`);
  }
  return out;
}

/** kube-proxy's healthz port, probed under externalTrafficPolicy Cluster (--healthz-bind-address default). */
const KUBE_PROXY_HEALTHZ_PORT = 10256;

export type EventSink = (type: EventType, reason: string, object: InvolvedObject, message: string) => void;

export interface CloudLoadBalancerOptions {
  sim: Simulation;
  proxies: KubeProxies;
  service: ServiceEntry;
  /** Node indexes behind the LB (its backends: the service controller's hosts), and every node's name by index. */
  nodes: readonly number[];
  nodeNames: readonly string[];
  nodeDown: Uint8Array;
  /** LB to node, seconds one way. */
  hop: number;
  selection: 'roundRobin' | 'random';
  rng: Rng;
  /** Overrides of the defaults of the Service's policy, field by field. */
  healthCheck?: Partial<HealthCheckSettings>;
  event?: EventSink;
  /** Told when the Service changes: with no backend, its creation gets the controller's warning. */
  services?: ServiceTable;
}

export class CloudLoadBalancerEntry implements EntryPoint {
  readonly external = true;
  readonly hop: number;
  /** Per node index: 1 while in the pool. */
  readonly inPool: Uint8Array;
  /** Nodes in the pool, in node order. */
  private pool: number[] = [];
  /** The LB's backends now (the service controller's hosts among the load's nodes), in node order. */
  private backends: readonly number[];
  /** Per node index: 1 while a backend; 1 while its probe loop runs. */
  private readonly isBackend: Uint8Array;
  private readonly probing: Uint8Array;
  private readonly passes: Int32Array;
  private readonly failures: Int32Array;
  /** Per node index: 1 once it has been in the pool (a later join is a rejoin, with an event). */
  private readonly joinedOnce: Uint8Array;
  private next = 0;

  constructor(private readonly o: CloudLoadBalancerOptions) {
    this.hop = o.hop;
    const n = o.nodeNames.length;
    this.inPool = new Uint8Array(n);
    this.passes = new Int32Array(n);
    this.failures = new Int32Array(n);
    this.joinedOnce = new Uint8Array(n);
    this.isBackend = new Uint8Array(n);
    this.probing = new Uint8Array(n);
    this.backends = o.nodes;
    for (const node of o.nodes) {
      this.isBackend[node] = 1;
      this.startProbing(node, o.rng.float() * this.settings().checkInterval);
    }
    this.warnNoHosts();
  }

  /** Probes `node` from `at`, every checkInterval, for as long as it is a backend. */
  private startProbing(node: number, at: number): void {
    if (this.probing[node]) return;
    this.probing[node] = 1;
    const probe = () => {
      if (!this.isBackend[node]) return void (this.probing[node] = 0);
      this.probe(node);
      this.o.sim.after(this.settings().checkInterval, probe);
    };
    this.o.sim.schedule(at, probe);
  }

  /**
   * The service controller updated the load balancer's nodes (UpdateLoadBalancer): nodes no
   * longer there leave the pool at once (established connections stay); new ones start their
   * health checks now, outside the pool.
   */
  setBackends(next: readonly number[]): void {
    const keep = new Set(next);
    for (const node of this.backends) {
      if (keep.has(node)) continue;
      this.isBackend[node] = 0;
      this.inPool[node] = 0;
      this.passes[node] = 0;
      this.failures[node] = 0;
    }
    for (const node of next) {
      if (this.isBackend[node]) continue;
      this.isBackend[node] = 1;
      this.passes[node] = 0;
      this.failures[node] = 0;
      this.startProbing(node, this.o.sim.now);
    }
    this.backends = next;
    this.pool = next.filter((n) => this.inPool[n]);
  }

  /**
   * controller.go ensureLoadBalancer, with an empty node set: Warning UnAvailableLoadBalancer
   * "There are no available nodes for LoadBalancer", each time the Service comes to want a load
   * balancer (created as, or changed to, type LoadBalancer).
   */
  private warnNoHosts(): void {
    const { services, service, event } = this.o;
    if (!services || !event) return;
    let wanted = false;
    services.onChange((e) => {
      if (e !== service) return;
      const svc = e.service;
      const wants = svc?.spec.type === 'LoadBalancer';
      if (svc && wants && !wanted && this.backends.length === 0) {
        const involved = { kind: 'Service', metadata: { name: svc.metadata.name, namespace: svc.metadata.namespace ?? 'default' } };
        event('Warning', 'UnAvailableLoadBalancer', involved, 'There are no available nodes for LoadBalancer');
      }
      wanted = wants;
    });
  }

  /** Health check settings for the Service as it is now (its policy may change). */
  settings(): HealthCheckSettings {
    return { ...CLOUD_LB_HEALTH_CHECKS[externalPolicy(this.o.service.service)], ...this.o.healthCheck };
  }

  nodeFor(): number {
    const pool = this.pool.length > 0 ? this.pool : this.backends;
    if (pool.length === 0) return -1;
    if (this.o.selection === 'random') return pool[this.o.rng.int(pool.length)]!;
    if (this.next >= pool.length) this.next = 0;
    return pool[this.next++]!;
  }

  /** What the node answers now: true for 200, false for 503; undefined for no answer (node down). */
  private answer(node: number): boolean | undefined {
    if (this.o.nodeDown[node]) return undefined;
    if (externalPolicy(this.o.service.service) === 'Cluster') return true;
    const vs = this.o.proxies.nodes[node]!.server(this.o.service.index);
    return vs !== undefined && vs.local.count > 0;
  }

  private probe(node: number): void {
    const ok = this.answer(node);
    if (ok === undefined) this.o.sim.after(this.settings().timeout, () => this.record(node, false));
    else this.record(node, ok);
  }

  private record(node: number, ok: boolean): void {
    // A probe that was under way when the node stopped being a backend counts for nothing.
    if (!this.isBackend[node]) return;
    const s = this.settings();
    if (ok) {
      this.failures[node] = 0;
      this.passes[node]!++;
      if (!this.inPool[node] && this.passes[node]! >= s.healthyThreshold) this.setInPool(node, true, s);
    } else {
      this.passes[node] = 0;
      this.failures[node]!++;
      if (this.inPool[node] && this.failures[node]! >= s.unhealthyThreshold) this.setInPool(node, false, s);
    }
  }

  private setInPool(node: number, inPool: boolean, s: HealthCheckSettings): void {
    this.inPool[node] = inPool ? 1 : 0;
    this.pool = this.backends.filter((n) => this.inPool[n]);
    const rejoin = this.joinedOnce[node] === 1;
    this.joinedOnce[node] = 1;
    const svc = this.o.service.service;
    if (!this.o.event || !svc || (inPool && !rejoin)) return;
    const name = this.o.nodeNames[node]!;
    const local = externalPolicy(svc) === 'Local';
    const port = local ? (typeof svc.spec.healthCheckNodePort === 'number' ? svc.spec.healthCheckNodePort : undefined) : KUBE_PROXY_HEALTHZ_PORT;
    const check = `${local ? 'healthCheckNodePort' : 'kube-proxy healthz'}${port === undefined ? '' : ` ${port}`}`;
    const involved = { kind: 'Service', metadata: { name: svc.metadata.name, namespace: svc.metadata.namespace ?? 'default' } };
    if (inPool) this.o.event('Normal', 'LoadBalancerNodeHealthy', involved, `node ${name} rejoined the load balancer pool: ${s.healthyThreshold} passing check(s) of ${check}`);
    else this.o.event('Warning', 'LoadBalancerNodeUnhealthy', involved, `node ${name} left the load balancer pool: ${s.unhealthyThreshold} failed checks of ${check}, every ${s.checkInterval}s`);
  }
}
