/**
 * The node ports of Services, as kube-apiserver's Service registry keeps them
 * (pkg/registry/core/service/storage/alloc.go txnAllocNodePorts, initNodePorts,
 * txnUpdateNodePorts, updateNodePorts, updateHealthCheckNodePort; storage.go
 * patchAllocatedValues; strategy.go needsNodePort, needsHCNodePort, sameNodePorts):
 *
 * - a NodePort or LoadBalancer Service gets a node port for each port that has none (for a
 *   LoadBalancer, only with allocateLoadBalancerNodePorts, true by default; an explicit one is
 *   always kept), and a LoadBalancer with externalTrafficPolicy Local a healthCheckNodePort;
 * - an update that leaves them out keeps them: a port without one gets the port of the same
 *   name it had, unless that port already went to another of its ports (patchAllocatedValues);
 * - a Service that stops needing them loses them, unless the update itself set new ones
 *   (dropTypeDependentFields, engine/api/service-defaults.ts), and validation then refuses those
 *   (engine/api/service-validation.ts).
 *
 * The allocator: upstream's portallocator is a bitmap of the range handing out a random free
 * port; kubesim hands out the lowest free one, so that a run is a function of the scenario. A
 * port is taken while a stored Service holds it, as a node port or a health check node port:
 * a Service that drops its node ports (a type change) or is deleted gives them back.
 */
import type { Service } from './types.js';

/** needsNodePort: NodePort and LoadBalancer Services. */
export function needsNodePort(svc: Service): boolean {
  return svc.spec.type === 'NodePort' || svc.spec.type === 'LoadBalancer';
}

/** apiservice.NeedsHealthCheck (needsHCNodePort): a LoadBalancer with externalTrafficPolicy Local. */
export function needsHealthCheckNodePort(svc: Service): boolean {
  return svc.spec.type === 'LoadBalancer' && svc.spec.externalTrafficPolicy === 'Local';
}

/** collectServiceNodePorts: the node ports of a Service's ports (0 / absent is none). */
export function collectNodePorts(svc: Service): number[] {
  return svc.spec.ports.flatMap((p) => (p.nodePort ? [p.nodePort] : []));
}

/** Every port of the range a Service holds: its node ports and its health check node port. */
export function heldNodePorts(svc: Service): number[] {
  const hc = svc.spec.healthCheckNodePort;
  return typeof hc === 'number' && hc !== 0 ? [...collectNodePorts(svc), hc] : collectNodePorts(svc);
}

/** sameNodePorts: the update adds no node port the Service did not have (it may drop or move some). */
export function sameNodePorts(before: Service, after: Service): boolean {
  const had = new Set(collectNodePorts(before));
  return collectNodePorts(after).every((p) => had.has(p));
}

/** shouldAllocateNodePorts: new node ports for a NodePort Service, and a LoadBalancer that allows them. */
function shouldAllocateNodePorts(svc: Service): boolean {
  if (svc.spec.type === 'NodePort') return true;
  return svc.spec.type === 'LoadBalancer' && svc.spec.allocateLoadBalancerNodePorts !== false;
}

/**
 * patchAllocatedValues for the node ports: when both versions need them, a port the update
 * left without one gets the node port the Service had for the port of that name, if no other
 * of its ports kept that one; the health check node port likewise. Changes `after` in place.
 */
export function patchAllocatedNodePorts(after: Service, before: Service): void {
  if (needsNodePort(before) && needsNodePort(after)) {
    const kept = new Set(collectNodePorts(after));
    const used = new Set(collectNodePorts(before).filter((p) => kept.has(p)));
    const byName = new Map<string, number | undefined>(before.spec.ports.map((p) => [p.name ?? '', p.nodePort]));
    for (const port of after.spec.ports) {
      if (port.nodePort) continue;
      const old = byName.get(port.name ?? '');
      if (old && !used.has(old)) port.nodePort = old;
    }
  }
  if (needsHealthCheckNodePort(before) && needsHealthCheckNodePort(after) && !after.spec.healthCheckNodePort && before.spec.healthCheckNodePort) {
    after.spec.healthCheckNodePort = before.spec.healthCheckNodePort;
  }
}

/**
 * The node ports a Service still lacks, from the lowest free port of `range` (a port is free
 * when none of `stored` holds it, nor `svc` itself): one per port that has none, then the
 * health check node port. Changes `svc` in place; false when the range is full.
 */
export function allocateNodePorts(stored: Iterable<Service>, range: readonly [number, number], svc: Service): boolean {
  const allocatePorts = needsNodePort(svc) && shouldAllocateNodePorts(svc);
  const allocateHealthCheck = needsHealthCheckNodePort(svc) && !svc.spec.healthCheckNodePort;
  if (!allocatePorts && !allocateHealthCheck) return true;
  const taken = new Set<number>(heldNodePorts(svc));
  for (const s of stored) for (const p of heldNodePorts(s)) taken.add(p);
  const [low, high] = range;
  let next = low;
  const take = (): number | undefined => {
    while (taken.has(next)) next++;
    if (next > high) return undefined;
    taken.add(next);
    return next;
  };
  if (allocatePorts) {
    for (const port of svc.spec.ports) {
      if (port.nodePort) continue;
      const p = take();
      if (p === undefined) return false;
      port.nodePort = p;
    }
  }
  if (allocateHealthCheck) {
    const p = take();
    if (p === undefined) return false;
    svc.spec.healthCheckNodePort = p;
  }
  return true;
}
