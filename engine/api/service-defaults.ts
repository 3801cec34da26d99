/**
 * What the API server fills in on every Service it stores, create or update: the core/v1
 * defaults (pkg/apis/core/v1/defaults.go SetDefaults_Service, Kubernetes 1.32) and the
 * type-dependent fields an update leaves behind (pkg/registry/core/service/strategy.go
 * dropTypeDependentFields). The allocated fields (clusterIP, clusterIPs, ipFamilies,
 * ipFamilyPolicy) are service-alloc.ts's.
 */
import type { Service } from './types.js';

/** core/v1 DefaultClientIPServiceAffinitySeconds. */
const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;

/** pkg/api/service ExternallyAccessible: NodePort, LoadBalancer, or a ClusterIP Service with externalIPs. */
export function externallyAccessible(svc: Service): boolean {
  const type = svc.spec.type ?? 'ClusterIP';
  return type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && (svc.spec.externalIPs?.length ?? 0) > 0);
}

/** SetDefaults_Service, field by field in upstream order. */
export function setDefaultsService(svc: Service): void {
  const spec = svc.spec;
  if (!spec.sessionAffinity) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const config = spec.sessionAffinityConfig as { clientIP?: { timeoutSeconds?: number } } | undefined;
    if (config?.clientIP?.timeoutSeconds === undefined) spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_AFFINITY_SECONDS } };
  }
  if (!spec.type) spec.type = 'ClusterIP';
  for (const port of spec.ports) {
    port.protocol ??= 'TCP';
    if (port.targetPort === undefined || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
  }
  if (externallyAccessible(svc) && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (spec.internalTrafficPolicy === undefined && (spec.type === 'NodePort' || spec.type === 'LoadBalancer' || spec.type === 'ClusterIP')) {
    spec.internalTrafficPolicy = 'Cluster';
  }
  if (spec.type === 'LoadBalancer') {
    spec.allocateLoadBalancerNodePorts ??= true;
    // KEP-1860 (LoadBalancerIPMode, on by default since 1.30): an ingress IP without a mode is a VIP.
    for (const ingress of svc.status?.loadBalancer?.ingress ?? []) if (ingress.ip && ingress.ipMode === undefined) ingress.ipMode = 'VIP';
  }
}

/**
 * dropTypeDependentFields for the fields kubesim defaults: a Service that stops being
 * externally accessible loses the externalTrafficPolicy it had, unless the update changed it;
 * one that is not a LoadBalancer has no load-balancer status.
 */
export function dropTypeDependentFields(before: Service, after: Service): void {
  if (externallyAccessible(before) && !externallyAccessible(after) && before.spec.externalTrafficPolicy === after.spec.externalTrafficPolicy) {
    delete after.spec.externalTrafficPolicy;
  }
  if (before.spec.type === 'LoadBalancer' && after.spec.type !== 'LoadBalancer' && before.spec.allocateLoadBalancerNodePorts === after.spec.allocateLoadBalancerNodePorts) {
    delete after.spec.allocateLoadBalancerNodePorts;
  }
  // "Clear the load-balancer status if it is no longer appropriate": the implementation (cloud
  // service controller, MetalLB) releases its address when it sees the change.
  if (after.spec.type !== 'LoadBalancer' && after.status?.loadBalancer?.ingress !== undefined) after.status = { ...after.status, loadBalancer: {} };
}
