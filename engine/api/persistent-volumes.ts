/**
 * Facts about PersistentVolumes and claims, and the matching of a claim to a volume, shared by
 * the PV controller (engine/controllers/persistentvolume.ts) and the scheduler's VolumeBinding
 * plugin (engine/scheduler/plugins/volume-binding.ts). Upstream: k8s.io/component-helpers/storage/volume
 * (pv_helpers.go FindMatchingVolume, CheckNodeAffinity, GetPersistentVolumeClaimClass), and
 * pkg/controller/volume/persistentvolume/index.go (findByClaim, allPossibleMatchingAccessModes).
 */
import { apiTime } from './meta-time.js';
import { matchesSelector } from './labels.js';
import { nodeSelectorTermsMatch } from './node-selector.js';
import { parseBytes } from './quantity.js';
import type { ApiServer } from './store.js';
import type { Labels, PersistentVolume, PersistentVolumeAccessMode, PersistentVolumeClaim, PodSpec, StorageClass } from './types.js';

/** What reads claims, volumes and classes: the API server in runs, the scheduler's snapshot lister. */
export type VolumeLister = Pick<ApiServer, 'get' | 'list'>;

/** The beta annotation that still takes precedence over spec.storageClassName (v1.BetaStorageClassAnnotation). */
export const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';
/** Marks the cluster's default StorageClass (storageutil.IsDefaultAnnotation). */
export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
/** Claim annotations the PV controller writes when it binds (pv_controller.go). */
export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';

/** The claim names a pod mounts (`spec.volumes[].persistentVolumeClaim.claimName`), in order. */
export function podClaimNames(spec: PodSpec): string[] {
  const volumes = (spec.volumes ?? []) as { persistentVolumeClaim?: { claimName?: string } }[];
  const out: string[] = [];
  for (const v of volumes) if (v.persistentVolumeClaim?.claimName) out.push(v.persistentVolumeClaim.claimName);
  return out;
}

/** GetPersistentVolumeClaimClass: the beta annotation, else spec.storageClassName, else "". */
export function claimClass(claim: PersistentVolumeClaim): string {
  return claim.metadata.annotations?.[BETA_STORAGE_CLASS_ANNOTATION] ?? claim.spec.storageClassName ?? '';
}

/** GetPersistentVolumeClass. */
export function volumeClass(volume: PersistentVolume): string {
  return volume.metadata.annotations?.[BETA_STORAGE_CLASS_ANNOTATION] ?? volume.spec.storageClassName ?? '';
}

/**
 * The default StorageClass: of several marked default, the newest (then by name), as
 * GetDefaultClass chooses since Kubernetes 1.26 (pkg/volume/util/storageclass.go: the
 * admission plugin and the PV controller read classes from informers, so creation times
 * compare in whole seconds, and two classes created within the same second go by name).
 */
export function defaultStorageClass(classes: readonly StorageClass[]): StorageClass | undefined {
  const defaults = classes.filter((c) => c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true');
  const created = (c: StorageClass) => apiTime(c.metadata.creationTimestamp) ?? -Infinity;
  defaults.sort((a, b) => created(b) - created(a) || (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  return defaults[0];
}

export function volumeCapacityBytes(volume: PersistentVolume): number {
  return parseBytes(volume.spec.capacity.storage);
}

export function claimRequestBytes(claim: PersistentVolumeClaim): number {
  return parseBytes(claim.spec.resources.requests.storage);
}

/** IsVolumeBoundToClaim: claimRef names the claim (and its uid, when the ref has one). */
export function isVolumeBoundToClaim(volume: PersistentVolume, claim: PersistentVolumeClaim): boolean {
  const ref = volume.spec.claimRef;
  if (!ref) return false;
  if (ref.name !== claim.metadata.name || (ref.namespace ?? 'default') !== (claim.metadata.namespace ?? 'default')) return false;
  return ref.uid === undefined || ref.uid === claim.metadata.uid;
}

/** CheckNodeAffinity: a volume without required node affinity fits every node. */
export function volumeFitsNode(volume: PersistentVolume, labels: Labels, nodeName: string): boolean {
  const required = volume.spec.nodeAffinity?.required;
  return required === undefined || nodeSelectorTermsMatch(required.nodeSelectorTerms, labels, nodeName);
}

export interface MatchOptions {
  /** Scheduler path: the node the pod would run on (node affinity and access modes are checked). */
  node?: { labels: Labels; name: string };
  /** The claim's class binds at first consumer: the controller path leaves it to the scheduler. */
  delayBinding?: boolean;
  /** Volumes already chosen for other claims of the same pod. */
  excluded?: ReadonlySet<string>;
}

/**
 * FindMatchingVolume: a volume pre-bound to the claim wins; otherwise the smallest Available
 * volume of the claim's class, large enough, of the same volumeMode, matching the claim's
 * selector (and on the scheduler path, the node and the access modes). Ties keep the first.
 */
export function findMatchingVolume(claim: PersistentVolumeClaim, volumes: readonly PersistentVolume[], o: MatchOptions = {}): PersistentVolume | undefined {
  const requested = claimRequestBytes(claim);
  const requestedClass = claimClass(claim);
  let smallest: PersistentVolume | undefined;
  let smallestBytes = Infinity;
  for (const volume of volumes) {
    if (o.excluded?.has(volume.metadata.name)) continue;
    const boundToClaim = isVolumeBoundToClaim(volume, claim);
    if (volume.spec.claimRef && !boundToClaim) continue;
    const bytes = volumeCapacityBytes(volume);
    if (bytes < requested) continue;
    if ((claim.spec.volumeMode ?? 'Filesystem') !== (volume.spec.volumeMode ?? 'Filesystem')) continue;
    if (volume.metadata.deletionTimestamp !== undefined) continue;
    const nodeOk = o.node === undefined || volumeFitsNode(volume, o.node.labels, o.node.name);
    if (boundToClaim) return nodeOk ? volume : undefined;
    if (o.node === undefined && o.delayBinding) continue;
    if (volume.status?.phase !== 'Available') continue;
    if (claim.spec.selector && !matchesSelector(claim.spec.selector, volume.metadata.labels)) continue;
    if (volumeClass(volume) !== requestedClass) continue;
    if (!nodeOk) continue;
    if (o.node !== undefined && !claim.spec.accessModes.every((m) => volume.spec.accessModes.includes(m))) continue;
    if (bytes < smallestBytes) {
      smallest = volume;
      smallestBytes = bytes;
    }
  }
  return smallest;
}

function modesKey(modes: readonly PersistentVolumeAccessMode[]): string {
  return [...new Set(modes)].sort().join(',');
}

/**
 * The PV controller's findByClaim: volumes are indexed by their set of access modes; the sets
 * that contain every mode the claim asks for are tried from the fewest modes up, and the first
 * set holding a match decides (so an RWO claim takes an RWO-only volume before an RWO+ROX one,
 * whatever their sizes). Sets of equal size are tried in their sorted-key order, which keeps
 * runs deterministic where upstream's sort is not stable.
 */
export function findBestMatchForClaim(claim: PersistentVolumeClaim, volumes: readonly PersistentVolume[], delayBinding: boolean): PersistentVolume | undefined {
  const groups = new Map<string, { size: number; volumes: PersistentVolume[] }>();
  for (const v of volumes) {
    const key = modesKey(v.spec.accessModes);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { size: new Set(v.spec.accessModes).size, volumes: [] }));
    g.volumes.push(v);
  }
  const wanted = claim.spec.accessModes;
  const candidates = [...groups.entries()]
    .filter(([, g]) => wanted.every((m) => g.volumes[0]!.spec.accessModes.includes(m)))
    .sort(([ka, a], [kb, b]) => a.size - b.size || (ka < kb ? -1 : ka > kb ? 1 : 0));
  for (const [, g] of candidates) {
    const match = findMatchingVolume(claim, g.volumes, { delayBinding });
    if (match) return match;
  }
  return undefined;
}

/** Whether a claim's class binds at first consumer (storagehelpers.IsDelayBindingMode). */
export function isDelayBinding(api: VolumeLister, claim: PersistentVolumeClaim): boolean {
  const name = claimClass(claim);
  if (name === '') return false;
  return api.get('StorageClass', undefined, name)?.volumeBindingMode === 'WaitForFirstConsumer';
}
