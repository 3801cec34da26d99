/**
 * What the API server fills in on every Service it stores, create or update: the core/v1
 * defaults (pkg/apis/core/v1/defaults.go SetDefaults_Service, Kubernetes 1.32) and the
 * type-dependent fields an update leaves behind (pkg/registry/core/service/strategy.go
 * dropTypeDependentFields). The allocated fields are service-alloc.ts's (clusterIP, clusterIPs,
 * ipFamilies, ipFamilyPolicy) and service-node-ports.ts's (node ports).
 */
import { needsHealthCheckNodePort, needsNodePort, sameNodePorts } from './service-node-ports.js';
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
 * dropTypeDependentFields (strategy.go, from PrepareForUpdate): an update that changes the type
 * wipes the fields the new type has no use for, each only if the update did not change it too
 * (then validation refuses it: engine/api/service-validation.ts), in upstream's order:
 *  - the node ports, when the Service no longer needs them (not NodePort or LoadBalancer) and
 *    the update added none (sameNodePorts); no stored Service holds them then, so they are free
 *    again (engine/api/service-node-ports.ts);
 *  - the health check node port, when it no longer needs one (not a LoadBalancer with
 *    externalTrafficPolicy Local) and it is unchanged;
 *  - allocateLoadBalancerNodePorts and loadBalancerClass, when it stops being a LoadBalancer;
 *  - externalTrafficPolicy, when it stops being externally accessible;
 *  - the load-balancer status, whenever it is not a LoadBalancer: the implementation (cloud
 *    service controller, MetalLB) releases its address when it sees the change.
 * The cluster IP fields of a change to ExternalName are wiped where they are released
 * (engine/api/service-alloc.ts allocateUpdate). `after` is changed in place.
 */
export function dropTypeDependentFields(before: Service, after: Service): void {
  const spec = after.spec;
  if (needsNodePort(before) && !needsNodePort(after) && sameNodePorts(before, after)) {
    for (const port of spec.ports) delete port.nodePort;
  }
  if (needsHealthCheckNodePort(before) && !needsHealthCheckNodePort(after) && before.spec.healthCheckNodePort === spec.healthCheckNodePort) {
    delete spec.healthCheckNodePort;
  }
  if (before.spec.type === 'LoadBalancer' && spec.type !== 'LoadBalancer') {
    if (before.spec.allocateLoadBalancerNodePorts === spec.allocateLoadBalancerNodePorts) delete spec.allocateLoadBalancerNodePorts;
    if (before.spec.loadBalancerClass === spec.loadBalancerClass) delete spec.loadBalancerClass;
  }
  if (externallyAccessible(before) && !externallyAccessible(after) && before.spec.externalTrafficPolicy === spec.externalTrafficPolicy) {
    delete spec.externalTrafficPolicy;
  }
  if (spec.type !== 'LoadBalancer' && after.status?.loadBalancer?.ingress !== undefined) after.status = { ...after.status, loadBalancer: {} };
}
