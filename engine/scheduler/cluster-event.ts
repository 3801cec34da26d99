/**
 * Cluster events, as the scheduling queue sees them (pkg/scheduler/framework/types.go
 * ActionType / ClusterEvent / ClusterEventWithHint / QueueingHint, pkg/scheduler/framework/
 * events.go, Kubernetes 1.32): a resource and a bit set of what happened to it. A plugin that
 * can reject a pod says which events may make that pod schedulable again (EventsToRegister),
 * optionally with a queueing hint that looks at the object before and after the change and
 * answers Queue or QueueSkip for one pod (KEP-4247; SchedulerQueueingHints is on by default
 * since 1.32, pkg/features/kube_features.go). The queue moves an unschedulable pod only when a
 * plugin that rejected it registered the event and its hint says Queue (queueing-hints.ts).
 *
 * The objects a hint receives, by resource: Node -> a Node as nodeSnapshot() copies it (the
 * API server's objects are live, so the state before a change is kept as a copy); Pod -> the
 * PodInfo of an assigned pod (nodeName set) or undefined; PersistentVolumeClaim,
 * PersistentVolume, StorageClass -> the API object (the state before an update is not kept,
 * except a StorageClass's, see scheduler.ts).
 */
import type { PodInfo } from './node-info.js';
import type { Snapshot } from './snapshot.js';

/** framework.ActionType: one bit per kind of change. */
export const ActionType = Object.freeze({
  Add: 1 << 0,
  Delete: 1 << 1,
  // UpdateNodeXYZ: only Node events carry them.
  UpdateNodeAllocatable: 1 << 2,
  UpdateNodeLabel: 1 << 3,
  UpdateNodeTaint: 1 << 4,
  UpdateNodeCondition: 1 << 5,
  UpdateNodeAnnotation: 1 << 6,
  // UpdatePodXYZ: only Pod events carry them.
  UpdatePodLabel: 1 << 7,
  UpdatePodScaleDown: 1 << 8,
  UpdatePodToleration: 1 << 9,
  UpdatePodSchedulingGatesEliminated: 1 << 10,
  /** updatePodOther: an update of none of the fields above (unexported upstream). */
  UpdatePodOther: 1 << 11,
  All: (1 << 12) - 1,
  /** Any update (the general Update a plugin registers when it does not care which field). */
  Update: ((1 << 12) - 1) & ~((1 << 0) | (1 << 1)),
});

/** framework.EventResource: the kinds kubesim's scheduler watches, and the wildcard. */
export type EventResource = 'Node' | 'Pod' | 'PersistentVolumeClaim' | 'PersistentVolume' | 'StorageClass' | '*';

export interface ClusterEvent {
  resource: EventResource;
  actionType: number;
  /** The upstream label (metrics and logs), e.g. NodeTaintChange. */
  label: string;
}

/** framework.QueueingHint. */
export type QueueingHint = 'Queue' | 'QueueSkip';

/**
 * framework.QueueingHintFn: may `event`'s change from `oldObj` to `newObj` make `pod`
 * schedulable, as far as this plugin can tell? (undefined old: an add; undefined new: a delete)
 */
export type QueueingHintFn = (pod: PodInfo, oldObj: unknown, newObj: unknown, snapshot: Snapshot) => QueueingHint;

/** framework.ClusterEventWithHint: a hint left out means Queue (defaultQueueingHintFn). */
export interface ClusterEventWithHint {
  event: { resource: EventResource; actionType: number };
  hint?: QueueingHintFn;
}

/** ClusterEvent.Match: `registered` covers `event` when the resources agree and an action bit is shared. */
export function eventMatches(registered: { resource: EventResource; actionType: number }, event: ClusterEvent): boolean {
  return (registered.resource === '*' || registered.resource === event.resource) && (registered.actionType & event.actionType) !== 0;
}

const ev = (resource: EventResource, actionType: number, label: string): ClusterEvent => Object.freeze({ resource, actionType, label });

/** The events kubesim's scheduler emits, labelled as in events.go. */
export const EVENTS = Object.freeze({
  NodeAdd: ev('Node', ActionType.Add, 'NodeAdd'),
  NodeDelete: ev('Node', ActionType.Delete, 'NodeDelete'),
  NodeSpecUnschedulableChange: ev('Node', ActionType.UpdateNodeTaint, 'NodeSpecUnschedulableChange'),
  NodeAllocatableChange: ev('Node', ActionType.UpdateNodeAllocatable, 'NodeAllocatableChange'),
  NodeLabelChange: ev('Node', ActionType.UpdateNodeLabel, 'NodeLabelChange'),
  NodeTaintChange: ev('Node', ActionType.UpdateNodeTaint, 'NodeTaintChange'),
  NodeConditionChange: ev('Node', ActionType.UpdateNodeCondition, 'NodeConditionChange'),
  NodeAnnotationChange: ev('Node', ActionType.UpdateNodeAnnotation, 'NodeAnnotationChange'),
  AssignedPodAdd: ev('Pod', ActionType.Add, 'AssignedPodAdd'),
  AssignedPodDelete: ev('Pod', ActionType.Delete, 'AssignedPodDelete'),
  PodLabelChange: ev('Pod', ActionType.UpdatePodLabel, 'PodLabelChange'),
  PvcAdd: ev('PersistentVolumeClaim', ActionType.Add, 'PvcAdd'),
  PvcUpdate: ev('PersistentVolumeClaim', ActionType.Update, 'PvcUpdate'),
  PvcDelete: ev('PersistentVolumeClaim', ActionType.Delete, 'PvcDelete'),
  PvAdd: ev('PersistentVolume', ActionType.Add, 'PvAdd'),
  PvUpdate: ev('PersistentVolume', ActionType.Update, 'PvUpdate'),
  PvDelete: ev('PersistentVolume', ActionType.Delete, 'PvDelete'),
  StorageClassAdd: ev('StorageClass', ActionType.Add, 'StorageClassAdd'),
  StorageClassUpdate: ev('StorageClass', ActionType.Update, 'StorageClassUpdate'),
  StorageClassDelete: ev('StorageClass', ActionType.Delete, 'StorageClassDelete'),
});
