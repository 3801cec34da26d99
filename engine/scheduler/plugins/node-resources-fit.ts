/**
 * NodeResourcesFit.
 *  - Filter: the pod's requests (as written; no non-zero defaults) must fit in allocatable minus
 *    what the node's pods request, for pods, cpu, memory and every extended resource requested;
 *    every shortfall is a reason ("Too many pods", "Insufficient cpu", ...), and the status is
 *    Unschedulable, even for a request larger than the node's whole allocatable (1.32's
 *    Filter; UnschedulableAndUnresolvable for that case came with kubernetes#131345, 1.34), so
 *    DefaultPreemption still tries such a node.
 *  - Score: the configured strategy (LeastAllocated by default, MostAllocated,
 *    RequestedToCapacityRatio) over the configured resources, with non-zero default requests.
 *  - EventsToRegister (queueing hints on; InPlacePodVerticalScaling, off by default in 1.32,
 *    would add Pod/UpdatePodScaleDown): Pod/Delete, queueing the pod when the deleted pod was
 *    bound; Node/Add and Node/UpdateNodeAllocatable, queueing the pod when it would fit the node
 *    empty and, for an update, an allocatable it requests (or the pod count) grew. The queue
 *    adds Node/UpdateNodeTaint (queueing-hints.ts).
 * Upstream: pkg/scheduler/framework/plugins/noderesources/fit.go (EventsToRegister,
 * isSchedulableAfterPodEvent, isSchedulableAfterNodeChange, haveAnyRequestedResourcesIncreased,
 * isFit)
 */
import type { Node } from '../../api/types.js';
import { ActionType } from '../cluster-event.js';
import { NodeInfo, type PodInfo } from '../node-info.js';
import { Status, type Plugin } from '../types.js';
import { leastRequestedScore, leastResourceScorer } from './least-allocated.js';
import { mostRequestedScore, mostResourceScorer } from './most-allocated.js';
import { requestedToCapacityRatioScorer, type UtilizationShapePoint } from './requested-to-capacity-ratio.js';
import {
  allocatableAndRequested,
  allocatableOf,
  cpuMemoryCodes,
  DEFAULT_RESOURCES,
  podRequestList,
  requestedOf,
  type ResourceSpec,
} from './resource-allocation.js';

export type ScoringStrategyType = 'LeastAllocated' | 'MostAllocated' | 'RequestedToCapacityRatio';

export interface NodeResourcesFitArgs {
  ignoredResources?: string[];
  ignoredResourceGroups?: string[];
  scoringStrategy?: {
    type?: ScoringStrategyType;
    resources?: ResourceSpec[];
    requestedToCapacityRatio?: { shape: UtilizationShapePoint[] };
  };
}

/** Default shape of RequestedToCapacityRatio (pkg/scheduler/apis/config/v1/defaults.go): bin packing. */
export const DEFAULT_SHAPE: readonly UtilizationShapePoint[] = Object.freeze([
  { utilization: 0, score: 0 },
  { utilization: 100, score: 10 },
]);

interface InsufficientResource {
  reason: string;
}

/** haveAnyRequestedResourcesIncreased: the pod count, or an allocatable the pod requests, grew. */
function requestedResourcesIncreased(pod: PodInfo, before: NodeInfo, after: NodeInfo): boolean {
  if (after.allocPods > before.allocPods) return true;
  if (pod.cpu === 0 && pod.memory === 0 && pod.scalar === null) return false;
  if (pod.cpu > 0 && after.allocCpu > before.allocCpu) return true;
  if (pod.memory > 0 && after.allocMemory > before.allocMemory) return true;
  for (const [name, q] of pod.scalar ?? []) {
    if (q !== 0 && (after.allocScalar.get(name) ?? 0) > (before.allocScalar.get(name) ?? 0)) return true;
  }
  return false;
}

const NO_IGNORED: ReadonlySet<string> = new Set();

/** fitsRequest: every resource the node lacks for this pod. */
export function fitsRequest(pod: PodInfo, node: NodeInfo, ignored: ReadonlySet<string>, ignoredGroups: readonly string[]): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  if (node.pods.length + 1 > node.allocPods) out.push({ reason: 'Too many pods' });
  if (pod.cpu === 0 && pod.memory === 0 && pod.scalar === null) return out;
  if (pod.cpu > 0 && pod.cpu > node.allocCpu - node.reqCpu) out.push({ reason: 'Insufficient cpu' });
  if (pod.memory > 0 && pod.memory > node.allocMemory - node.reqMemory) out.push({ reason: 'Insufficient memory' });
  if (pod.scalar) {
    for (const [name, q] of pod.scalar) {
      if (ignored.has(name)) continue;
      const slash = name.indexOf('/');
      if (slash > 0 && ignoredGroups.includes(name.slice(0, slash))) continue;
      const alloc = node.allocScalar.get(name) ?? 0;
      if (q > 0 && q > alloc - (node.reqScalar.get(name) ?? 0)) out.push({ reason: `Insufficient ${name}` });
    }
  }
  return out;
}

export function nodeResourcesFit(args: NodeResourcesFitArgs = {}): Plugin {
  const strategy = args.scoringStrategy ?? {};
  const resources = strategy.resources ?? DEFAULT_RESOURCES;
  const type = strategy.type ?? 'LeastAllocated';
  const scorer =
    type === 'MostAllocated'
      ? mostResourceScorer(resources)
      : type === 'RequestedToCapacityRatio'
        ? requestedToCapacityRatioScorer(resources, strategy.requestedToCapacityRatio?.shape ?? DEFAULT_SHAPE)
        : leastResourceScorer(resources);
  const perResource = type === 'MostAllocated' ? mostRequestedScore : type === 'LeastAllocated' ? leastRequestedScore : undefined;
  const codes = cpuMemoryCodes(resources);
  const ignored = new Set(args.ignoredResources ?? []);
  const ignoredGroups = args.ignoredResourceGroups ?? [];
  const KEY = 'PreScoreNodeResourcesFit';
  const allocatable = new Array<number>(resources.length).fill(0);
  const requested = new Array<number>(resources.length).fill(0);
  return {
    name: 'NodeResourcesFit',
    preFilter() {
      return null;
    },
    filter(_state, pod, node) {
      // The common case first, allocating nothing: the pod fits (fitsRequest finds no shortfall).
      if (
        pod.scalar === null &&
        node.pods.length + 1 <= node.allocPods &&
        (pod.cpu <= 0 || pod.cpu <= node.allocCpu - node.reqCpu) &&
        (pod.memory <= 0 || pod.memory <= node.allocMemory - node.reqMemory)
      ) {
        return null;
      }
      const insufficient = fitsRequest(pod, node, ignored, ignoredGroups);
      if (insufficient.length === 0) return null;
      return new Status('Unschedulable', insufficient.map((r) => r.reason));
    },
    preScore(state, pod) {
      state.write(KEY, podRequestList(pod, resources, false));
      return null;
    },
    score(state, pod, node) {
      const podRequests = state.read<number[]>(KEY) ?? podRequestList(pod, resources, false);
      allocatableAndRequested(node, resources, podRequests, false, allocatable, requested);
      return scorer(requested, allocatable);
    },
    scoreNodes(state, pod, nodes, scores) {
      const podRequests = state.read<number[]>(KEY) ?? podRequestList(pod, resources, false);
      if (perResource && codes && codes.length === 2 && codes[0] === 0 && codes[1] === 1) {
        // The default resources (cpu, then memory): the loop below with its two steps unrolled.
        const wc = resources[0]!.weight;
        const wm = resources[1]!.weight;
        const podCpu = podRequests[0]!;
        const podMem = podRequests[1]!;
        for (let i = 0; i < nodes.length; i++) {
          const node = nodes[i]!;
          let nodeScore = 0;
          let weightSum = 0;
          const allocCpu = node.allocCpu;
          if (allocCpu !== 0) {
            nodeScore += perResource(node.nonZeroCpu + podCpu, allocCpu) * wc;
            weightSum += wc;
          }
          const allocMem = node.allocMemory;
          if (allocMem !== 0) {
            nodeScore += perResource(node.nonZeroMemory + podMem, allocMem) * wm;
            weightSum += wm;
          }
          scores[i] = weightSum === 0 ? 0 : Math.trunc(nodeScore / weightSum);
        }
        return;
      }
      if (perResource && codes) {
        // weightedResourceScorer over allocatableAndRequested, inlined for cpu and memory.
        for (let i = 0; i < nodes.length; i++) {
          const node = nodes[i]!;
          let nodeScore = 0;
          let weightSum = 0;
          for (let r = 0; r < codes.length; r++) {
            const alloc = allocatableOf(node, codes[r]!);
            if (alloc === 0) continue;
            const weight = resources[r]!.weight;
            nodeScore += perResource(requestedOf(node, codes[r]!, false) + podRequests[r]!, alloc) * weight;
            weightSum += weight;
          }
          scores[i] = weightSum === 0 ? 0 : Math.trunc(nodeScore / weightSum);
        }
        return;
      }
      for (let i = 0; i < nodes.length; i++) {
        allocatableAndRequested(nodes[i]!, resources, podRequests, false, allocatable, requested);
        scores[i] = scorer(requested, allocatable);
      }
    },
    eventsToRegister: () => [
      {
        event: { resource: 'Pod', actionType: ActionType.Delete },
        // Any bound pod's deletion may free room (the deleted pod's node is not looked at).
        hint: (_pod, oldObj) => ((oldObj as PodInfo).nodeName ? 'Queue' : 'QueueSkip'),
      },
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeAllocatable },
        hint(pod, oldObj, newObj) {
          // isFit: the pod against the node with no pods on it (Fits, no ignored resources).
          const after = new NodeInfo(newObj as Node, -1);
          if (fitsRequest(pod, after, NO_IGNORED, []).length > 0) return 'QueueSkip';
          if (oldObj === undefined) return 'Queue';
          return requestedResourcesIncreased(pod, new NodeInfo(oldObj as Node, -1), after) ? 'Queue' : 'QueueSkip';
        },
      },
    ],
  };
}
