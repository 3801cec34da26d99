/**
 * apps/v1 DaemonSet and StatefulSet, trimmed to the fields the simulator reads (field names as
 * in k8s.io/api/apps/v1); other fields a manifest carries are kept untouched.
 * Re-exported by engine/api/types.ts.
 */
import type { LabelSelector, ObjectMeta, PodTemplateSpec } from './types.js';
import type { PersistentVolumeClaimSpec } from './storage-types.js';

/** apps/v1 DaemonSet: one pod per eligible node (engine/controllers/daemonset.ts). */
export interface DaemonSet {
  apiVersion: 'apps/v1';
  kind: 'DaemonSet';
  metadata: ObjectMeta;
  spec: {
    selector: LabelSelector;
    template: PodTemplateSpec;
    updateStrategy?: { type?: 'RollingUpdate' | 'OnDelete'; rollingUpdate?: { maxUnavailable?: number | string; maxSurge?: number | string } };
    minReadySeconds?: number;
    revisionHistoryLimit?: number;
    [extra: string]: unknown;
  };
  status?: {
    desiredNumberScheduled?: number;
    currentNumberScheduled?: number;
    numberMisscheduled?: number;
    numberReady?: number;
    numberAvailable?: number;
    numberUnavailable?: number;
    updatedNumberScheduled?: number;
    observedGeneration?: number;
  };
}

/** apps/v1 StatefulSet: pods `<name>-<ordinal>` with stable claims (engine/controllers/statefulset.ts). */
export interface StatefulSet {
  apiVersion: 'apps/v1';
  kind: 'StatefulSet';
  metadata: ObjectMeta;
  spec: {
    replicas?: number;
    selector: LabelSelector;
    template: PodTemplateSpec;
    serviceName?: string;
    podManagementPolicy?: 'OrderedReady' | 'Parallel';
    updateStrategy?: { type?: 'RollingUpdate' | 'OnDelete'; rollingUpdate?: { partition?: number; maxUnavailable?: number | string } };
    volumeClaimTemplates?: { apiVersion?: string; kind?: string; metadata: Partial<ObjectMeta> & { name: string }; spec: PersistentVolumeClaimSpec }[];
    minReadySeconds?: number;
    revisionHistoryLimit?: number;
    ordinals?: { start?: number };
    [extra: string]: unknown;
  };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    currentReplicas?: number;
    updatedReplicas?: number;
    currentRevision?: string;
    updateRevision?: string;
    observedGeneration?: number;
  };
}
