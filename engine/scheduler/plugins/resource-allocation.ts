/**
 * The resource view shared by NodeResourcesFit's scoring strategies and
 * NodeResourcesBalancedAllocation (noderesources/resource_allocation.go): for each configured
 * resource, the node's allocatable and what would be requested with the pod on it.
 *
 * `useRequested` false (NodeResourcesFit scoring) counts cpu and memory with the non-zero
 * defaults for containers that set no request; true (BalancedAllocation) counts them as written.
 * An extended resource the pod does not request is left out (allocatable 0), as upstream does.
 */
import type { NodeInfo, PodInfo } from '../node-info.js';

export interface ResourceSpec {
  name: string;
  weight: number;
}

export const DEFAULT_RESOURCES: readonly ResourceSpec[] = Object.freeze([
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
]);

/** The pod's request of each resource, in `resources` order (calculatePodResourceRequestList). */
export function podRequestList(pod: PodInfo, resources: readonly ResourceSpec[], useRequested: boolean): number[] {
  return resources.map((r) => {
    if (r.name === 'cpu') return useRequested ? pod.cpu : pod.nonZeroCpu;
    if (r.name === 'memory') return useRequested ? pod.memory : pod.nonZeroMemory;
    return pod.scalar?.get(r.name) ?? 0;
  });
}

/** Fills `allocatable` and `requested` for the node (calculateResourceAllocatableRequest). */
export function allocatableAndRequested(
  node: NodeInfo,
  resources: readonly ResourceSpec[],
  podRequests: readonly number[],
  useRequested: boolean,
  allocatable: number[],
  requested: number[],
): void {
  for (let i = 0; i < resources.length; i++) {
    const name = resources[i]!.name;
    const podReq = podRequests[i]!;
    let alloc = 0;
    let req = 0;
    if (name === 'cpu') {
      alloc = node.allocCpu;
      req = (useRequested ? node.reqCpu : node.nonZeroCpu) + podReq;
    } else if (name === 'memory') {
      alloc = node.allocMemory;
      req = (useRequested ? node.reqMemory : node.nonZeroMemory) + podReq;
    } else if (podReq !== 0 && node.allocScalar.has(name)) {
      alloc = node.allocScalar.get(name)!;
      req = (node.reqScalar.get(name) ?? 0) + podReq;
    }
    allocatable[i] = alloc;
    requested[i] = alloc === 0 ? 0 : req;
  }
}

/**
 * The resources as cpu (0) / memory (1) codes when the list names only those two (the default),
 * so the hot loop reads NodeInfo fields without comparing names; undefined otherwise.
 */
export function cpuMemoryCodes(resources: readonly ResourceSpec[]): Uint8Array | undefined {
  if (!resources.every((r) => r.name === 'cpu' || r.name === 'memory')) return undefined;
  return Uint8Array.from(resources, (r) => (r.name === 'cpu' ? 0 : 1));
}

/** allocatableAndRequested for a cpu/memory-only list: the node's allocatable of resource code `c`. */
export function allocatableOf(node: NodeInfo, c: number): number {
  return c === 0 ? node.allocCpu : node.allocMemory;
}

/** What the node's pods request of resource code `c`, as written or with non-zero defaults. */
export function requestedOf(node: NodeInfo, c: number, useRequested: boolean): number {
  if (useRequested) return c === 0 ? node.reqCpu : node.reqMemory;
  return c === 0 ? node.nonZeroCpu : node.nonZeroMemory;
}

/**
 * The per-node score of LeastAllocated and MostAllocated: a per-resource score weighted by the
 * resource's weight, resources with no allocatable left out, integer division (upstream's
 * leastResourceScorer / mostResourceScorer share this shape).
 */
export function weightedResourceScorer(resources: readonly ResourceSpec[], perResource: (requested: number, capacity: number) => number) {
  return (requested: readonly number[], allocatable: readonly number[]): number => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const weight = resources[i]!.weight;
      nodeScore += perResource(requested[i]!, allocatable[i]!) * weight;
      weightSum += weight;
    }
    return weightSum === 0 ? 0 : Math.trunc(nodeScore / weightSum);
  };
}
