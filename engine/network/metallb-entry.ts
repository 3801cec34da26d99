/**
 * The way into a LoadBalancer Service that MetalLB implements, whichever mode announces its
 * address now. The speakers read the address from the Service's status and look up its pool
 * (speaker/main.go SetBalancer); both protocol handlers then decide whether to announce it
 * (ShouldAnnounce): layer 2 if an L2Advertisement selects the pool, BGP if a BGPAdvertisement
 * does. With both, clients behind the router follow its BGP routes, so the BGP entry serves the
 * connection. The mode follows the address: a Service deleted and created again, or given an
 * address of another pool, is reached the way its new pool is announced; while it has no
 * address (`<pending>`), there is no way in.
 *
 * The L2 entry exists when some L2Advertisement exists, the BGP entry when some BGPAdvertisement
 * does (advertisements are read from the manifests), so the speakers' memberlist and the
 * router's BGP sessions run only where MetalLB would use them.
 */
import type { EntryPoint } from './entry-point.js';
import { currentPool, type MetalLbL2Config } from './metallb-config.js';
import type { MetalLbBgpEntry } from './metallb-bgp.js';
import type { MetalLbL2Entry } from './metallb-l2.js';
import type { ServiceEntry } from './service-table.js';

export class MetalLbEntry implements EntryPoint {
  readonly external = true;
  /** Per client: 1 when its current connection was opened through the router (BGP). */
  private readonly viaBgp: Uint8Array;
  /** The address last looked up, and whether its pool is announced over BGP. */
  private lastIp: string | undefined;
  private lastBgp = false;

  constructor(
    private readonly service: ServiceEntry,
    private readonly config: MetalLbL2Config,
    readonly hop: number,
    clients: number,
    private readonly l2: MetalLbL2Entry | undefined,
    private readonly bgp: MetalLbBgpEntry | undefined,
  ) {
    this.viaBgp = new Uint8Array(clients);
  }

  nodeFor(client: number): number {
    if (this.bgp && this.overBgp()) {
      this.viaBgp[client] = 1;
      return this.bgp.nodeFor(client);
    }
    this.viaBgp[client] = 0;
    return this.l2 ? this.l2.nodeFor() : -1;
  }

  /** Only the router remaps established flows (ECMP); an L2 connection stays where it entered. */
  keeps(client: number): boolean {
    return this.viaBgp[client] === 1 ? this.bgp!.keeps(client) : true;
  }

  private overBgp(): boolean {
    const ip = this.service.service?.status?.loadBalancer?.ingress?.[0]?.ip;
    if (ip !== this.lastIp) {
      this.lastIp = ip;
      const assigned = currentPool(this.service.service, this.config.pools);
      this.lastBgp = assigned !== undefined && this.config.bgpFrom.has(assigned.pool);
    }
    return this.lastBgp;
  }
}
