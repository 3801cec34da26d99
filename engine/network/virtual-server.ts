/**
 * One Service as one node's kube-proxy has programmed it at its last rule sync: the endpoints
 * it balances over for cluster-wide and node-local traffic, the traffic policies, session
 * affinity, and the Service's cluster IP (the virtual address IPVS dh hashes). Rebuilt at each
 * sync that changes the Service; requests in between use this snapshot, stale or not.
 */
import type { Service } from '../api/types.js';
import type { Rng } from '../core/rng.js';
import { Backends } from './backends.js';
import { ipToInt, IPV4_PATTERN } from './ipv4.js';
import type { KubeProxyConfig } from './kube-proxy-config.js';
import { affinityTimeout, SessionAffinity } from './session-affinity.js';
import type { Endpoint } from './service-table.js';
import { externalPolicy, internalPolicy, localEndpoints } from './traffic-policy.js';

export type ProxyFailure = 'no_endpoints' | 'dropped_local';

export class VirtualServer {
  readonly cluster: Backends;
  readonly local: Backends;
  readonly externalLocal: boolean;
  readonly internalLocal: boolean;
  readonly affinity: SessionAffinity | undefined;
  readonly vip: number;
  readonly nodePort: boolean;
  /** Set by `choose`: the list the connection was balanced over, why it failed, and the KUBE-SVC rules tested. */
  backends: Backends | undefined;
  failure: ProxyFailure = 'no_endpoints';
  rulesTested = 0;
  /** Index of the chosen endpoint in `backends`. */
  chosen = -1;

  constructor(
    readonly service: Service | undefined,
    ready: readonly Endpoint[],
    nodeName: string,
    config: KubeProxyConfig,
    previous: VirtualServer | undefined,
  ) {
    this.cluster = new Backends(ready, config, previous?.cluster);
    this.local = new Backends(localEndpoints(ready, nodeName), config, previous?.local);
    this.externalLocal = externalPolicy(service) === 'Local';
    this.internalLocal = internalPolicy(service) === 'Local';
    const timeout = affinityTimeout(service);
    if (timeout > 0) {
      this.affinity = new SessionAffinity(timeout);
      this.affinity.adopt(previous?.affinity);
    }
    // The cluster IP the API server allocated (engine/api/service-alloc.ts); 0 for a headless Service, which has none.
    const ip = service?.spec.clusterIP;
    this.vip = ip !== undefined && IPV4_PATTERN.test(ip) ? ipToInt(ip) : 0;
    this.nodePort = service?.spec.type === 'NodePort' || service?.spec.type === 'LoadBalancer';
  }

  /** The endpoint of a new connection from `clientIp`, or undefined (see `failure`). */
  choose(clientIp: number, external: boolean, now: number, rng: Rng): Endpoint | undefined {
    const local = external ? this.externalLocal : this.internalLocal;
    const b = (this.backends = local ? this.local : this.cluster);
    this.rulesTested = 0;
    if (b.count === 0) {
      this.failure = local && this.cluster.count > 0 ? 'dropped_local' : 'no_endpoints';
      return undefined;
    }
    if (this.affinity) {
      // iptables tests one `recent` rule per endpoint before the probability rules.
      this.rulesTested = b.count;
      const stuck = this.affinity.lookup(clientIp, now);
      const i = stuck === undefined ? -1 : b.indexOf(stuck);
      if (i >= 0) {
        this.affinity.record(clientIp, stuck!, now);
        this.chosen = i;
        return b.endpoints[i];
      }
    }
    const i = b.pick(rng, clientIp, this.vip);
    if (i < 0) {
      this.failure = 'no_endpoints';
      return undefined;
    }
    this.rulesTested += b.rulesTested;
    this.chosen = i;
    const e = b.endpoints[i]!;
    this.affinity?.record(clientIp, e.podUid, now);
    return e;
  }
}
