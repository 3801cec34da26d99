/**
 * The StatefulSet controller's pure rules (pkg/controller/statefulset/stateful_set_utils.go):
 * pod identity (`<set>-<ordinal>`, the pod-name and pod-index labels, hostname and subdomain),
 * claim names (`<claim template>-<set>-<ordinal>`), the pod's volumes pointing at its claims,
 * and the health predicates the ordered policy waits on.
 */
import { podTemplateHash } from '../api/names.js';
import { ownerRef } from '../api/owners.js';
import { isPodReady } from '../api/pod-lifecycle.js';
import type { PersistentVolumeClaim, Pod, StatefulSet } from '../api/types.js';

/** apps/v1 StatefulSetPodNameLabel and PodIndexLabel (GA in 1.32), ControllerRevisionHashLabelKey. */
export const STATEFULSET_POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
export const CONTROLLER_REVISION_HASH_LABEL = 'controller-revision-hash';

const ORDINAL_NAME = /^(.*)-([0-9]+)$/;

/** getParentNameAndOrdinal: `web-12` -> (web, 12); a name without an ordinal gives -1. */
export function parentNameAndOrdinal(pod: Pod): { parent: string; ordinal: number } {
  const m = ORDINAL_NAME.exec(pod.metadata.name);
  if (!m) return { parent: '', ordinal: -1 };
  return { parent: m[1]!, ordinal: Number(m[2]) };
}

/** isMemberOf: the pod's name is the set's name plus an ordinal. */
export function isMemberOf(set: StatefulSet, pod: Pod): boolean {
  return parentNameAndOrdinal(pod).parent === set.metadata.name;
}

export function podName(set: StatefulSet, ordinal: number): string {
  return `${set.metadata.name}-${ordinal}`;
}

/** getPersistentVolumeClaimName. */
export function claimName(set: StatefulSet, templateName: string, ordinal: number): string {
  return `${templateName}-${set.metadata.name}-${ordinal}`;
}

/** getStartOrdinal: spec.ordinals.start (StatefulSetStartOrdinal, GA in 1.31), default 0. */
export function startOrdinal(set: StatefulSet): number {
  return set.spec.ordinals?.start ?? 0;
}

/** The update revision's name: `<set>-<hash of the pod template>` (a ControllerRevision name upstream). */
export function updateRevisionName(set: StatefulSet): string {
  return `${set.metadata.name}-${podTemplateHash(set.spec.template)}`;
}

export function podRevision(pod: Pod): string | undefined {
  return pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL];
}

/** getPersistentVolumeClaims: the claims of one ordinal, from the templates; labels include the selector's. */
export function claimsFor(set: StatefulSet, ordinal: number): PersistentVolumeClaim[] {
  return (set.spec.volumeClaimTemplates ?? []).map((t) => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: claimName(set, t.metadata.name, ordinal),
      namespace: set.metadata.namespace,
      labels: { ...(t.metadata.labels ?? {}), ...(set.spec.selector.matchLabels ?? {}) },
      ...(t.metadata.annotations && { annotations: { ...t.metadata.annotations } }),
    },
    spec: structuredClone(t.spec),
    status: { phase: 'Pending' },
  }));
}

/**
 * newStatefulSetPod (GetPodFromTemplate + initIdentity + updateStorage): the pod of one
 * ordinal, its claim volumes first (in template order), then the template's other volumes.
 */
export function newStatefulSetPod(set: StatefulSet, ordinal: number, revision: string): Pod {
  const template = structuredClone(set.spec.template);
  const name = podName(set, ordinal);
  const spec = template.spec;
  const claimTemplates = set.spec.volumeClaimTemplates ?? [];
  const templateNames = new Set(claimTemplates.map((t) => t.metadata.name));
  const own = (spec.volumes ?? []) as { name: string }[];
  spec.volumes = [
    ...claimTemplates.map((t) => ({ name: t.metadata.name, persistentVolumeClaim: { claimName: claimName(set, t.metadata.name, ordinal) } })),
    ...own.filter((v) => !templateNames.has(v.name)),
  ];
  if ((spec.volumes as unknown[]).length === 0) delete spec.volumes;
  spec.hostname = name;
  if (set.spec.serviceName) spec.subdomain = set.spec.serviceName;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: set.metadata.namespace,
      labels: {
        ...(template.metadata?.labels ?? {}),
        [STATEFULSET_POD_NAME_LABEL]: name,
        [POD_INDEX_LABEL]: String(ordinal),
        [CONTROLLER_REVISION_HASH_LABEL]: revision,
      },
      annotations: { ...(template.metadata?.annotations ?? {}) },
      ownerReferences: [ownerRef(set)],
    },
    spec,
    status: { phase: 'Pending' },
  };
}

/** isRunningAndReady. */
export function isRunningAndReady(pod: Pod): boolean {
  return pod.status?.phase === 'Running' && isPodReady(pod);
}

/** isHealthy: running, ready and not terminating. */
export function isHealthy(pod: Pod): boolean {
  return isRunningAndReady(pod) && pod.metadata.deletionTimestamp === undefined;
}

/** When a ready pod becomes available (Ready for minReadySeconds); Infinity if not ready. */
export function availableAt(pod: Pod, minReadySeconds: number): number {
  if (!isRunningAndReady(pod)) return Infinity;
  const since = pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime ?? 0;
  return since + minReadySeconds;
}
