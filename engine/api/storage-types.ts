/**
 * v1 PersistentVolume and PersistentVolumeClaim, storage.k8s.io/v1 StorageClass, trimmed to the
 * fields the simulator reads (field names as in k8s.io/api); other fields are kept untouched.
 * Re-exported by engine/api/types.ts.
 */
import type { NodeSelector } from './node-selector.js';
import type { LabelSelector, ObjectMeta } from './types.js';

export type PersistentVolumeAccessMode = 'ReadWriteOnce' | 'ReadOnlyMany' | 'ReadWriteMany' | 'ReadWriteOncePod';

export interface PersistentVolumeClaimSpec {
  accessModes: PersistentVolumeAccessMode[];
  resources: { requests: { storage: string | number; [name: string]: string | number | undefined } };
  storageClassName?: string;
  volumeName?: string;
  selector?: LabelSelector;
  volumeMode?: 'Filesystem' | 'Block';
  [extra: string]: unknown;
}

/** v1 PersistentVolumeClaim, bound by engine/controllers/persistentvolume.ts. */
export interface PersistentVolumeClaim {
  apiVersion: 'v1';
  kind: 'PersistentVolumeClaim';
  metadata: ObjectMeta;
  spec: PersistentVolumeClaimSpec;
  status?: { phase?: 'Pending' | 'Bound' | 'Lost'; capacity?: { storage?: string | number }; accessModes?: PersistentVolumeAccessMode[] };
}

/** v1 PersistentVolume (cluster-scoped): a piece of storage a claim binds to. */
export interface PersistentVolume {
  apiVersion: 'v1';
  kind: 'PersistentVolume';
  metadata: ObjectMeta;
  spec: {
    capacity: { storage: string | number; [name: string]: string | number | undefined };
    accessModes: PersistentVolumeAccessMode[];
    storageClassName?: string;
    persistentVolumeReclaimPolicy?: 'Retain' | 'Delete' | 'Recycle';
    volumeMode?: 'Filesystem' | 'Block';
    /** Where the volume can be used (required for `local` volumes). */
    nodeAffinity?: { required?: NodeSelector };
    claimRef?: { kind?: string; namespace?: string; name?: string; uid?: string };
    [extra: string]: unknown;
  };
  status?: { phase?: 'Pending' | 'Available' | 'Bound' | 'Released' | 'Failed' };
}

/** storage.k8s.io/v1 StorageClass (cluster-scoped); kubesim reads volumeBindingMode and the default-class annotation. */
export interface StorageClass {
  apiVersion: 'storage.k8s.io/v1';
  kind: 'StorageClass';
  metadata: ObjectMeta;
  provisioner: string;
  volumeBindingMode?: 'Immediate' | 'WaitForFirstConsumer';
  reclaimPolicy?: 'Retain' | 'Delete';
  [extra: string]: unknown;
}
