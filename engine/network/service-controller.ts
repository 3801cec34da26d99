/**
 * The cloud-provider service controller's node sync
 * (staging/src/k8s.io/cloud-provider/controllers/service/controller.go): the nodes it gives
 * every cloud load balancer as backends are the stable node set (load-balancer-hosts.ts
 * predicates: no node.kubernetes.io/exclude-from-external-load-balancers label that excludes,
 * no ToBeDeletedByClusterAutoscaler taint). Its Node informer's update handler resyncs when a
 * node's labels or taints change the set (shouldSyncUpdatedNode); then each LoadBalancer
 * Service's load balancer is updated (lockedUpdateLoadBalancerHosts, one event per Service:
 * Normal UpdatedLoadBalancer "Updated load balancer with new hosts", or Warning
 * UnAvailableLoadBalancer "There are no available nodes for LoadBalancer" when none is left)
 * and the cloud load balancers (cloud-load-balancer.ts) send new connections only to the new
 * set. The cloud's UpdateLoadBalancer call is taken to apply when the controller sees the
 * change (the watch delay after the write); its own latency is not modelled. The Services it
 * updates are those a load reaches through a cloud load balancer (a bare-metal cluster with
 * MetalLB has no cloud service controller).
 */
import type { EventSink } from './cloud-load-balancer.js';
import { loadBalancerHosts } from './load-balancer-hosts.js';
import type { NodeInformer } from './node-informer.js';
import type { ServiceEntry } from './service-table.js';

export class ServiceControllerNodeSync {
  /** Node indexes of the stable node set, in node order. */
  hosts: readonly number[];
  private readonly listeners: ((hosts: readonly number[]) => void)[] = [];
  /** The Services with a cloud load balancer, in the order their loads were built. */
  private readonly balanced: ServiceEntry[] = [];

  constructor(
    nodes: NodeInformer,
    private readonly event?: EventSink,
  ) {
    this.hosts = loadBalancerHosts(nodes.all());
    nodes.onChange(() => {
      const next = loadBalancerHosts(nodes.all());
      if (next.length === this.hosts.length && next.every((n, i) => n === this.hosts[i])) return;
      this.hosts = next;
      this.updateLoadBalancers();
      for (const l of this.listeners) l(next);
    });
  }

  /** Called with the new set each time it changes. */
  onChange(listener: (hosts: readonly number[]) => void): void {
    this.listeners.push(listener);
  }

  /** A Service whose load balancer this controller keeps (once per Service). */
  balance(entry: ServiceEntry): void {
    if (!this.balanced.includes(entry)) this.balanced.push(entry);
  }

  /** nodeSyncService for every Service that wants a load balancer. */
  private updateLoadBalancers(): void {
    if (!this.event) return;
    for (const entry of this.balanced) {
      const svc = entry.service;
      if (svc?.spec.type !== 'LoadBalancer') continue;
      const involved = { kind: 'Service', metadata: { name: svc.metadata.name, namespace: svc.metadata.namespace ?? 'default' } };
      if (this.hosts.length === 0) this.event('Warning', 'UnAvailableLoadBalancer', involved, 'There are no available nodes for LoadBalancer');
      else this.event('Normal', 'UpdatedLoadBalancer', involved, 'Updated load balancer with new hosts');
    }
  }
}
