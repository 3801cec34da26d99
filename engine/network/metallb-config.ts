/**
 * MetalLB's configuration as the simulator reads it from the scenario's `metallb.io/v1beta1`
 * manifests: the IPAddressPools (metallb-pools.ts), which pools an L2Advertisement or a
 * BGPAdvertisement announces from which nodes, and each `metallb.io/v1beta2` BGPPeer's timers
 * and BFD profile (metallb-bgp-peer.ts).
 *
 * Addresses are not part of it: MetalLB's controller allocates them as Services come and go
 * (metallb-controller.ts) and writes them into each Service's `status.loadBalancer.ingress`,
 * which is where the speakers read them (speaker/main.go SetBalancer), with the pool that owns
 * the address. Without any pool a LoadBalancer Service stays `<pending>` (no address), as on
 * any bare-metal cluster without a load-balancer implementation.
 *
 * Which nodes announce depends on node labels (advertisements' nodeSelectors, the exclude
 * label): the speakers watch Nodes and re-run their announcement logic for every Service when
 * one changes (speaker/main.go SetNode, SyncStateReprocessAll), so `followNodeLabels` recomputes
 * the advertised nodes from the Node informer and tells the L2 and BGP entries.
 */
import type { BGPAdvertisement, IPAddressPool, KubeObject, L2Advertisement, Labels, Service } from '../api/types.js';
import { LABEL_NODE_EXCLUDE_BALANCERS } from './load-balancer-hosts.js';
import { bgpPeerSessions, type BgpPeerSession } from './metallb-bgp-peer.js';
import { metalLbPools, poolFor, serviceAddress, type MetalLbPool } from './metallb-pools.js';
import type { NodeInformer } from './node-informer.js';
import type { ServiceEntry } from './service-table.js';
import { externalPolicy } from './traffic-policy.js';

export { parseAddressRange } from './metallb-pools.js';

export interface MetalLbL2Config {
  /** The IPAddressPools, in name order: the controller allocates from them, the speakers find an address's pool among them. */
  pools: readonly MetalLbPool[];
  /** Pool name -> nodes (by name) an L2Advertisement announces it from; absent: not announced. Replaced when node labels change. */
  announcedFrom: ReadonlyMap<string, ReadonlySet<string>>;
  /** Pool name -> nodes a BGPAdvertisement announces it from (BGP mode); absent: not over BGP. Replaced when node labels change. */
  bgpFrom: ReadonlyMap<string, ReadonlySet<string>>;
  /** The BGPPeers by name, timers and BFD profile resolved; the load's `target.bgpPeer` picks the router among them. */
  peers: readonly BgpPeerSession[];
  /** Told after announcedFrom and bgpFrom were recomputed for new node labels (followNodeLabels). */
  readonly nodesChanged: (() => void)[];
}

const key = (namespace: string | undefined, name: string) => `${namespace ?? 'default'}/${name}`;

export function serviceKey(svc: Service): string {
  return key(svc.metadata.namespace, svc.metadata.name);
}

function matches(selector: Labels | undefined, labels: Labels): boolean {
  return Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);
}

/** Reads MetalLB's manifests among `manifests`; `nodes` are the cluster's nodes with their labels. */
export function metalLbConfig(manifests: readonly KubeObject[], nodes: readonly { name: string; labels: Labels }[]): MetalLbL2Config {
  return { pools: metalLbPools(manifests), ...advertisedNodes(manifests, nodes), peers: bgpPeerSessions(manifests), nodesChanged: [] };
}

/** The pool of the address the Service has now (status.loadBalancer.ingress), undefined while it has none or one no pool owns. */
export function currentPool(svc: Service | undefined, pools: readonly MetalLbPool[]): { ip: string; pool: string } | undefined {
  const ip = svc && serviceAddress(svc);
  const pool = ip === undefined ? undefined : poolFor(pools, ip);
  return pool && { ip: ip!, pool: pool.name };
}

/** The nodes each pool is announced from, by L2 and by BGP, for the nodes' labels now. */
function advertisedNodes(manifests: readonly KubeObject[], nodes: readonly { name: string; labels: Labels }[]): Pick<MetalLbL2Config, 'announcedFrom' | 'bgpFrom'> {
  const pools = manifests.filter((m): m is IPAddressPool => m.kind === 'IPAddressPool').map((p) => p.metadata.name).sort();
  return {
    announcedFrom: advertised(manifests.filter((m): m is L2Advertisement => m.kind === 'L2Advertisement'), pools, nodes),
    bgpFrom: advertised(manifests.filter((m): m is BGPAdvertisement => m.kind === 'BGPAdvertisement'), pools, nodes),
  };
}

/**
 * The speakers' node reconciler: when a node's labels change, the advertised nodes are
 * recomputed and every MetalLB entry re-runs its election (L2) or its next hops (BGP). A label
 * that changes nothing MetalLB reads changes nothing.
 */
export function followNodeLabels(config: MetalLbL2Config, manifests: readonly KubeObject[], informer: NodeInformer): void {
  informer.onChange(() => {
    const next = advertisedNodes(manifests, informer.all());
    if (sameAdvertised(next.announcedFrom, config.announcedFrom) && sameAdvertised(next.bgpFrom, config.bgpFrom)) return;
    config.announcedFrom = next.announcedFrom;
    config.bgpFrom = next.bgpFrom;
    for (const l of config.nodesChanged) l();
  });
}

function sameAdvertised(a: ReadonlyMap<string, ReadonlySet<string>>, b: ReadonlyMap<string, ReadonlySet<string>>): boolean {
  if (a.size !== b.size) return false;
  for (const [pool, nodes] of a) {
    const other = b.get(pool);
    if (!other || other.size !== nodes.size || [...nodes].some((n) => !other.has(n))) return false;
  }
  return true;
}

/**
 * MetalLB internal/k8s/nodes IsNodeExcludedFromBalancers: a node with the label never announces
 * (checked by speaker/layer2_controller.go speakersForPool and speaker/bgp_controller.go
 * ShouldAnnounce unless the speaker runs with --ignore-exclude-lb, which kubesim's speakers do
 * not). Only its presence counts: unlike the cloud service controller's nodeIncludedPredicate,
 * "false" excludes too.
 */
function excludedFromBalancers(labels: Labels): boolean {
  return Object.hasOwn(labels, LABEL_NODE_EXCLUDE_BALANCERS);
}

/** Pool name -> the nodes the advertisements select for it (union over advertisements), excluded nodes left out. */
function advertised(advs: readonly (L2Advertisement | BGPAdvertisement)[], pools: readonly string[], nodes: readonly { name: string; labels: Labels }[]): Map<string, Set<string>> {
  const from = new Map<string, Set<string>>();
  for (const adv of advs) {
    const poolNames = adv.spec?.ipAddressPools?.length ? adv.spec.ipAddressPools : pools;
    const selectors = adv.spec?.nodeSelectors ?? [];
    const chosen = nodes
      .filter((n) => !excludedFromBalancers(n.labels))
      .filter((n) => selectors.length === 0 || selectors.some((s) => matches(s.matchLabels, n.labels)))
      .map((n) => n.name);
    for (const p of poolNames) {
      const set = from.get(p) ?? new Set<string>();
      for (const n of chosen) set.add(n);
      from.set(p, set);
    }
  }
  return from;
}

/**
 * What both speaker controllers check before choosing (speaker/main.go SetBalancer, then
 * speaker/layer2_controller.go and speaker/bgp_controller.go ShouldAnnounce): a LoadBalancer
 * Service whose status has an address that a pool owns, at least one ready endpoint, a pool
 * that `from` (announcedFrom or bgpFrom) advertises; then the
 * nodes, in node order, that the advertisement selects, whose speaker is `alive`, and under
 * `externalTrafficPolicy: Local` that have a ready endpoint. Undefined: nothing to announce.
 */
export function announceCandidates(
  entry: ServiceEntry,
  pools: readonly MetalLbPool[],
  from: ReadonlyMap<string, ReadonlySet<string>>,
  nodeNames: readonly string[],
  alive: (node: number) => boolean,
): { ip: string; nodes: number[] } | undefined {
  const svc = entry.service;
  if (!svc || svc.spec.type !== 'LoadBalancer') return undefined;
  const assigned = currentPool(svc, pools);
  const advertised = assigned && from.get(assigned.pool);
  if (!advertised || entry.ready.length === 0) return undefined;
  const local = externalPolicy(svc) === 'Local' ? new Set(entry.ready.map((e) => e.nodeName)) : undefined;
  const nodes: number[] = [];
  nodeNames.forEach((name, i) => {
    if (alive(i) && advertised.has(name) && (!local || local.has(name))) nodes.push(i);
  });
  return { ip: assigned.ip, nodes };
}
