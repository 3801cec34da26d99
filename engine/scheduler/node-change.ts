/**
 * What a Node update changed, for the scheduling queue (pkg/scheduler/framework/events.go
 * NodeSchedulingPropertiesChange, called by eventhandlers.go updateNodeInCache): one event per
 * kind of change, in upstream's order; an update that changes none of them (a heartbeat in a
 * condition, status.images, addresses, ...) is no event at all and moves no pod.
 *
 * Comparisons are equality.Semantic.DeepEqual's: a missing map equals an empty one,
 * quantities compare by value (`1000m` equals `1`), taints in order.
 */
import { parseQuantity } from '../api/quantity.js';
import type { Labels, Node, Taint } from '../api/types.js';
import { EVENTS, type ClusterEvent } from './cluster-event.js';

/**
 * The Node as the scheduler's event handlers remember it: a deep copy of the fields the
 * classification and the queueing hints read (labels, annotations, spec, allocatable,
 * conditions), so that the next update can be compared with it.
 */
export function nodeSnapshot(node: Node): Node {
  const meta = node.metadata;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: structuredClone({ name: meta.name, labels: meta.labels, annotations: meta.annotations }),
    spec: structuredClone(node.spec),
    status: structuredClone({ capacity: {}, allocatable: node.status.allocatable, addresses: [], conditions: node.status.conditions }),
  } as Node;
}

function sameMap(a: Readonly<Record<string, unknown>> | undefined, b: Readonly<Record<string, unknown>> | undefined): boolean {
  const x = a ?? {};
  const y = b ?? {};
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  for (const k of keys) if (!Object.hasOwn(y, k) || x[k] !== y[k]) return false;
  return true;
}

function sameQuantity(a: string | number, b: string | number): boolean {
  return a === b || parseQuantity(a) === parseQuantity(b);
}

/** equality.Semantic.DeepEqual of two taint lists (order matters; a missing value is ""). */
export function sameTaints(a: readonly Taint[] | undefined, b: readonly Taint[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) {
    const s = x[i]!;
    const t = y[i]!;
    if (s.key !== t.key || (s.value ?? '') !== (t.value ?? '') || s.effect !== t.effect || s.timeAdded !== t.timeAdded) return false;
  }
  return true;
}

/** extractNodeAllocatableChange's comparison: the same resources, each the same quantity. */
export function sameAllocatable(a: Node['status']['allocatable'] | undefined, b: Node['status']['allocatable'] | undefined): boolean {
  const x = (a ?? {}) as Record<string, string | number | undefined>;
  const y = (b ?? {}) as Record<string, string | number | undefined>;
  const keys = Object.keys(x).filter((k) => x[k] !== undefined);
  if (keys.length !== Object.keys(y).filter((k) => y[k] !== undefined).length) return false;
  return keys.every((k) => y[k] !== undefined && sameQuantity(x[k]!, y[k]!));
}

/** extractNodeConditionsChange compares type -> status only (heartbeats and reasons are ignored). */
function conditionStatuses(node: Node): Labels {
  const out: Labels = {};
  for (const c of node.status.conditions ?? []) out[c.type] = c.status;
  return out;
}

/** NodeSchedulingPropertiesChange(newNode, oldNode). */
export function nodeSchedulingPropertiesChange(newNode: Node, oldNode: Node): ClusterEvent[] {
  const events: ClusterEvent[] = [];
  // extractNodeSpecUnschedulableChange: only a node becoming schedulable (uncordon) is an event,
  // carried as UpdateNodeTaint; a cordon shows up as the unschedulable taint the node lifecycle
  // controller adds next.
  const wasUnschedulable = oldNode.spec.unschedulable === true;
  const isUnschedulable = newNode.spec.unschedulable === true;
  if (wasUnschedulable !== isUnschedulable && !isUnschedulable) events.push(EVENTS.NodeSpecUnschedulableChange);
  if (!sameAllocatable(oldNode.status.allocatable, newNode.status.allocatable)) events.push(EVENTS.NodeAllocatableChange);
  if (!sameMap(newNode.metadata.labels, oldNode.metadata.labels)) events.push(EVENTS.NodeLabelChange);
  if (!sameTaints(newNode.spec.taints, oldNode.spec.taints)) events.push(EVENTS.NodeTaintChange);
  if (!sameMap(conditionStatuses(oldNode), conditionStatuses(newNode))) events.push(EVENTS.NodeConditionChange);
  if (!sameMap(oldNode.metadata.annotations, newNode.metadata.annotations)) events.push(EVENTS.NodeAnnotationChange);
  return events;
}
