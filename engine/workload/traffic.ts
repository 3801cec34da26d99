/**
 * Builds the data path of a run from its loads: kube-proxy on every node, each load's entry
 * point (NodePort, ClusterIP, a cloud load balancer, MetalLB L2 or BGP), request path and generator
 * (open or closed loop), and the hook through which the request table tells a load that a
 * client stopped waiting.
 */
import type { Simulation } from '../core/simulation.js';
import type { TrafficStats } from '../metrics/traffic-stats.js';
import { CloudLoadBalancerEntry, type EventSink } from '../network/cloud-load-balancer.js';
import { ClusterIPEntry, NodePortEntry, type EntryPoint } from '../network/entry-point.js';
import type { MetalLbL2Config } from '../network/metallb-config.js';
import { MetalLbEntry } from '../network/metallb-entry.js';
import { MetalLbL2Entry, Memberlist } from '../network/metallb-l2.js';
import { BgpSessions, MetalLbBgpEntry } from '../network/metallb-bgp.js';
import { bgpTimers, type BgpPeerSession } from '../network/metallb-bgp-peer.js';
import { ROUTER_BFD_DEFAULTS, routerDetectionTime, speakerTransmitInterval, type RouterBfd } from '../network/bfd.js';
import { KubeProxies } from '../network/kube-proxy.js';
import { KUBE_PROXY_DEFAULTS, type KubeProxyConfig } from '../network/kube-proxy-config.js';
import type { ServiceControllerNodeSync } from '../network/service-controller.js';
import type { ServiceTable } from '../network/service-table.js';
import type { LoadSpec } from '../scenario/types.js';
import { ClosedLoop } from './closed-loop.js';
import { ConnectionTable } from './connections.js';
import { LoadGenerator } from './load-generator.js';
import type { PodServers, ServedLoad } from './pod-servers.js';
import { IngressHop } from '../network/ingress-controller.js';
import type { IngressBackendRef } from '../network/ingress-rules.js';
import { CLIENT_BASE, RequestPath, type PathDeps } from './request-path.js';
import type { RequestTable } from './request-table.js';

export interface TrafficDeps {
  sim: Simulation;
  table: RequestTable;
  stats: TrafficStats;
  services: ServiceTable;
  servers: PodServers;
  hopLatency: number;
  nodeNames: readonly string[];
  nodeDown: Uint8Array;
  kubeProxy: KubeProxyConfig | undefined;
  /** Where the data path records Events (a cloud LB's pool changes). */
  event?: EventSink;
  /** MetalLB's configuration from the scenario's metallb.io manifests (loads with `loadBalancer: metallb`). */
  metallb?: MetalLbL2Config;
  /** The service controller's node sync: the nodes it gives a cloud load balancer as backends, as they change; default every node. */
  nodeSync?: ServiceControllerNodeSync;
}

export interface Traffic {
  proxies: KubeProxies;
  start(): void;
}

/** Loads through an ingress controller: their served-load records (given their forwarding here) and backends (undefined: no rule matched). */
export interface IngressLoads {
  served: ServedLoad[];
  backends: readonly (IngressBackendRef | undefined)[];
}

export function buildTraffic(d: TrafficDeps, loads: readonly LoadSpec[], serviceIndexes: readonly number[], ingress?: IngressLoads): Traffic {
  const { sim, table, stats, services, servers, nodeNames } = d;
  const nodeIndex = new Map(nodeNames.map((n, i) => [n, i]));
  const proxies = new KubeProxies(sim, services, nodeNames, d.kubeProxy ?? KUBE_PROXY_DEFAULTS);
  stats.addNodeTotals((emit) =>
    proxies.nodes.forEach((p, i) => {
      emit(i, 'kube_proxy_syncs', p.syncs);
      emit(i, 'kube_proxy_sync_max_ms', p.longestSync * 1000);
    }),
  );
  const deps: PathDeps = {
    sim,
    table,
    stats,
    servers,
    proxies,
    connections: new ConnectionTable(),
    hopLatency: d.hopLatency,
    nodeIndex,
    nodeDown: d.nodeDown,
    deliverHandler: sim.register((id) => servers.arrive(id)),
  };
  // One memberlist of MetalLB speakers for the run, created only when a load goes through MetalLB.
  let memberlist: Memberlist | undefined;
  const speakers = () => (memberlist ??= new Memberlist(sim, d.nodeDown, sim.stream('metallb/memberlist')));
  // One router for the run (references.ts checks every load names the same): its sessions with the speakers.
  let sessions: BgpSessions | undefined;
  const bgp = (peer: BgpPeerSession | undefined, router: RouterBfd) => {
    if (sessions) return sessions;
    const timers = peer ?? bgpTimers(undefined, undefined);
    const bfd = peer?.bfd && { transmitInterval: speakerTransmitInterval(peer.bfd, router), detectionTime: routerDetectionTime(peer.bfd, router), rng: sim.stream('metallb/bfd') };
    return (sessions = new BgpSessions(sim, d.nodeDown, timers, sim.stream('metallb/bgp'), bfd));
  };
  // How each load's connections enter the cluster.
  const entryPoint = (l: LoadSpec, nodes: number[], clients: number): EntryPoint => {
    const rng = () => sim.stream(`load/${l.name}/entry`);
    const service = services.entryFor(l.target.namespace, l.target.service);
    const event = d.event && { event: d.event };
    if (l.target.via === 'NodePort') return new NodePortEntry(nodes, d.hopLatency, l.target.nodeSelection, rng());
    if (l.target.via === 'ClusterIP') return new ClusterIPEntry(nodes);
    if (l.target.loadBalancer === 'metallb') {
      const config = d.metallb ?? { pools: [], announcedFrom: new Map(), bgpFrom: new Map(), peers: [], nodesChanged: [] };
      const hop = d.hopLatency;
      // The mode follows the pool of the Service's address as it changes (metallb-entry.ts); each mode's entry exists where an advertisement of its kind does.
      const l2 = config.announcedFrom.size > 0 ? new MetalLbL2Entry({ sim, services, service, config, memberlist: speakers(), nodeNames, hop, ...event }) : undefined;
      let bgpEntry: MetalLbBgpEntry | undefined;
      if (config.bgpFrom.size > 0) {
        // An L2Advertisement of the same pool would also answer ARP; the router's routes win.
        const clientIp = (c: number) => CLIENT_BASE + (c % l.clients.sourceIPs);
        const peer = config.peers.find((p) => p.name === l.target.bgpPeer) ?? config.peers[0];
        const sessions = bgp(peer, l.target.routerBfd ?? ROUTER_BFD_DEFAULTS);
        const o = { sim, services, service, config, sessions, nodeNames, hashing: l.target.ecmpHashing, buckets: l.target.resilientBuckets, clients, clientIp, ...(l.target.port !== undefined && { port: l.target.port }), hop };
        bgpEntry = new MetalLbBgpEntry({ ...o, ...event });
      }
      return new MetalLbEntry(service, config, hop, clients, l2, bgpEntry);
    }
    const healthCheck = l.target.healthCheck && { healthCheck: l.target.healthCheck };
    const { nodeDown, hopLatency: hop } = d;
    const sync = d.nodeSync;
    const backendsOf = (hosts: readonly number[]) => {
      const set = new Set(hosts);
      return nodes.filter((n) => set.has(n));
    };
    const backends = sync ? backendsOf(sync.hosts) : nodes;
    const lb = new CloudLoadBalancerEntry({ sim, proxies, services, service, nodes: backends, nodeNames, nodeDown, hop, selection: l.target.nodeSelection, rng: rng(), ...healthCheck, ...event });
    if (sync) {
      sync.balance(service);
      sync.onChange((hosts) => lb.setBackends(backendsOf(hosts)));
    }
    return lb;
  };
  const starters: (() => void)[] = [];
  const ends: ((id: number) => void)[] = [];
  loads.forEach((l, i) => {
    const nodes = (l.target.nodes ?? nodeNames).map((n) => nodeIndex.get(n)!);
    const clients = l.arrivals.type === 'closed' ? l.arrivals.clients : l.clients.sourceIPs;
    const entry = entryPoint(l, nodes, clients);
    if (l.target.ingress && ingress) {
      const hop = IngressHop.forLoad(deps, services, serviceIndexes[i]!, ingress.backends[i]);
      ingress.served[i]!.ingress = { controllerServiceTime: l.target.ingress.controllerServiceTime, forward: (id) => hop.forward(id) };
    }
    const path = new RequestPath(deps, l, i, serviceIndexes[i]!, services.entryFor(l.target.namespace, l.target.service), entry, clients);
    if (l.arrivals.type === 'closed') {
      const loop = new ClosedLoop(deps, l, path);
      starters.push(() => loop.start());
      ends.push((id) => {
        path.clientDone(id);
        loop.ended(table.client[id]!, table.answered[id] === 1);
      });
    } else {
      const gen = new LoadGenerator(deps, l, path);
      starters.push(() => gen.start());
      ends.push((id) => path.clientDone(id));
    }
  });
  table.onClientDone = (id) => ends[table.load[id]!]!(id);
  return { proxies, start: () => starters.forEach((s) => s()) };
}
