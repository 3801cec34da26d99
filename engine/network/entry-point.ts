/**
 * How a client's connection enters the cluster: the node whose kube-proxy handles it, the
 * latency to get there, and whether it counts as external traffic (externalTrafficPolicy) or
 * in-cluster traffic to the ClusterIP (internalTrafficPolicy). Every way in is one of these;
 * LoadBalancer (cloud, MetalLB) and Ingress entries implement the same interface.
 */
import type { Rng } from '../core/rng.js';

export interface EntryPoint {
  /** Latency from the client to the entry node, seconds one way. */
  readonly hop: number;
  /** True for traffic from outside the cluster (NodePort, LoadBalancer). */
  readonly external: boolean;
  /** The entry node (index) of a new connection from client `client`; -1 when there is no way in (a LoadBalancer Service still `<pending>`): the request fails as no_endpoints. */
  nodeFor(client: number): number;
  /** False when the client's established connection no longer reaches the node it entered at (ECMP remapped its flow): it is broken. Absent: always kept. */
  keeps?(client: number): boolean;
}

/**
 * NodePort: the client sends to a node's IP on the node port, one hop away. With several
 * nodes it picks one per connection, in turn (round robin, as a DNS name or a client list
 * over the node IPs would) or at random.
 */
export class NodePortEntry implements EntryPoint {
  readonly external = true;
  private next = 0;
  constructor(
    private readonly nodes: readonly number[],
    readonly hop: number,
    private readonly selection: 'roundRobin' | 'random',
    private readonly rng: Rng,
  ) {}
  nodeFor(): number {
    if (this.selection === 'random') return this.nodes[this.rng.int(this.nodes.length)]!;
    const n = this.nodes[this.next]!;
    this.next = (this.next + 1) % this.nodes.length;
    return n;
  }
}

/** ClusterIP from a client pod: client i runs on node i mod n of the given nodes; its own node's kube-proxy handles the connection, no hop to enter. */
export class ClusterIPEntry implements EntryPoint {
  readonly external = false;
  readonly hop = 0;
  constructor(private readonly nodes: readonly number[]) {}
  nodeFor(client: number): number {
    return this.nodes[client % this.nodes.length]!;
  }
}
