/**
 * An ingress controller's second hop (ingress-nginx): after a controller pod served a request
 * (its workers, queue and CPU, as any pod: the controller's finite capacity), the controller
 * routes it by the rules of its class's Ingresses (ingress-rules.ts) and proxies it to an
 * endpoint of the backend Service directly, not through the ClusterIP: ingress-nginx's Lua
 * balancer reads the Service's endpoints (rootfs/etc/nginx/lua/balancer.lua, default
 * `load-balance: round_robin`).
 *
 * Simplifications, stated:
 * - The Ingresses are read once from the scenario's manifests (an Ingress applied from the
 *   timeline is not seen), and since a load's host and path are fixed, its route is resolved
 *   once per load.
 * - Round robin over the backend's ready endpoints as the informers see them (no sync delay),
 *   skipping pods that do not listen or whose node is down (nginx's proxy_next_upstream retries
 *   on a connection error). None left: no_endpoints (ingress-nginx answers 503).
 * - The request keeps the client's connection to the controller; the controller's upstream
 *   connections (keep-alive) cost nothing. The time at the controller counts in the `network`
 *   latency part; `queue` and `service` are the backend pod's.
 */
import type { Ingress, IngressClass, KubeObject } from '../api/types.js';
import type { Simulation, HandlerId } from '../core/simulation.js';
import type { TrafficStats } from '../metrics/traffic-stats.js';
import type { PodServers } from '../workload/pod-servers.js';
import { CLIENT_WAITING, type RequestTable } from '../workload/request-table.js';
import { routeRequest, type IngressBackendRef, type IngressHostRule } from './ingress-rules.js';
import type { ServiceEntry, ServiceTable } from './service-table.js';

/** The IngressClass annotation that makes a class the default for Ingresses without ingressClassName. */
export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

/** The rules of the Ingresses of class `className`, in manifest order. */
export function ingressRules(manifests: readonly KubeObject[], className: string): IngressHostRule[] {
  const isDefault = manifests.some(
    (m): m is IngressClass => m.kind === 'IngressClass' && m.metadata.name === className && m.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true',
  );
  const rules: IngressHostRule[] = [];
  for (const m of manifests) {
    if (m.kind !== 'Ingress') continue;
    const ing = m as Ingress;
    const cls = ing.spec.ingressClassName;
    if (cls !== className && !(cls === undefined && isDefault)) continue;
    const namespace = ing.metadata.namespace ?? 'default';
    for (const r of ing.spec.rules ?? []) {
      if (!r.http) continue;
      rules.push({
        ...(r.host !== undefined && { host: r.host }),
        paths: r.http.paths.map((p) => ({
          path: p.path ?? '/',
          pathType: p.pathType,
          backend: { namespace, service: p.backend.service.name, port: p.backend.service.port.number ?? p.backend.service.port.name ?? 0 },
        })),
      });
    }
  }
  return rules;
}

/** The backend of a load's requests (host, path) through the controller of `className`, or undefined (404). */
export function ingressBackend(manifests: readonly KubeObject[], className: string, host: string, path: string): IngressBackendRef | undefined {
  return routeRequest(ingressRules(manifests, className), host, path);
}

export interface IngressHopDeps {
  sim: Simulation;
  table: RequestTable;
  stats: TrafficStats;
  servers: PodServers;
  hopLatency: number;
  nodeIndex: ReadonlyMap<string, number>;
  nodeDown: Uint8Array;
  deliverHandler: HandlerId;
}

/** The controller's forwarding of one load's requests to its backend Service (undefined: no rule matched). */
export class IngressHop {
  private next = 0;

  constructor(
    private readonly deps: IngressHopDeps,
    private readonly serviceIndex: number,
    private readonly backend: ServiceEntry | undefined,
  ) {}

  static forLoad(deps: IngressHopDeps, services: ServiceTable, serviceIndex: number, backend: IngressBackendRef | undefined): IngressHop {
    return new IngressHop(deps, serviceIndex, backend && services.entryFor(backend.namespace, backend.service));
  }

  /** Request `id` leaves its controller pod: on to a backend pod (true), or failed here (false). */
  forward(id: number): boolean {
    const { table, servers, nodeIndex, nodeDown, sim } = this.deps;
    if (!this.backend) return this.fail(id, 'no_route');
    const ready = this.backend.ready;
    for (let k = 0; k < ready.length; k++) {
      const e = ready[(this.next + k) % ready.length]!;
      const server = servers.listening(e.podUid);
      if (server < 0 || servers.blackholed(e.podUid) || nodeDown[nodeIndex.get(e.nodeName)!]) continue;
      this.next = (this.next + k + 1) % ready.length;
      const hop = e.nodeName === servers.nodeOf(table.server[id]!) ? 0 : this.deps.hopLatency;
      table.hop[id] = 1;
      table.server[id] = server;
      table.returnDelay[id]! += hop;
      sim.after(hop, this.deps.deliverHandler, id);
      return true;
    }
    return this.fail(id, 'no_endpoints');
  }

  private fail(id: number, reason: 'no_route' | 'no_endpoints'): false {
    this.deps.stats.failed(this.serviceIndex, reason);
    this.deps.table.release(id, CLIENT_WAITING);
    return false;
  }
}
