/**
 * Which endpoints a node's kube-proxy may send a connection to (pkg/proxy/topology.go
 * CategorizeEndpoints): traffic from outside the cluster (NodePort, and later LoadBalancer)
 * follows `externalTrafficPolicy`, traffic to the ClusterIP from a pod follows
 * `internalTrafficPolicy`. Cluster: any ready endpoint (external traffic is SNATed to the node,
 * and an endpoint on another node costs one more hop). Local: only the node's own ready
 * endpoints, the client address preserved; with none, the traffic is dropped.
 */
import type { Service } from '../api/types.js';
import type { Endpoint } from './service-table.js';

export type TrafficPolicy = 'Cluster' | 'Local';

export function externalPolicy(service: Service | undefined): TrafficPolicy {
  return service?.spec.externalTrafficPolicy === 'Local' ? 'Local' : 'Cluster';
}

export function internalPolicy(service: Service | undefined): TrafficPolicy {
  return service?.spec.internalTrafficPolicy === 'Local' ? 'Local' : 'Cluster';
}

export function localEndpoints(ready: readonly Endpoint[], nodeName: string): Endpoint[] {
  return ready.filter((e) => e.nodeName === nodeName);
}
