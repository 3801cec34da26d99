/**
 * Where a pod's PersistentVolumeClaims let it run: what the scheduler's VolumeBinding plugin
 * reads (pkg/scheduler/framework/plugins/volumebinding/volume_binding.go PreFilter/Filter and
 * binder.go FindPodVolumes), as two pure functions over API server state:
 *
 *   const c = volumeNodeConstraints(api, pod);   // PreFilter: undefined = Skip (no claims)
 *   if (c?.unresolvable) -> UnschedulableAndUnresolvable(c.unresolvable)
 *   volumeNodeConflict(c, node.labels, node.name) // Filter: null, or the upstream reason
 *
 * A claim that does not exist, is being deleted, or is unbound with an Immediate class keeps
 * the pod Pending everywhere. A bound claim whose volume has node affinity (a `local` volume)
 * restricts the pod to the nodes that affinity selects. A claim of a WaitForFirstConsumer class
 * still unbound needs, on the node, an Available volume that would match it (claims matched
 * smallest request first, each volume used once).
 */
import { claimClass, claimRequestBytes, findMatchingVolume, podClaimNames, volumeFitsNode } from './persistent-volumes.js';
import type { ApiServer } from './store.js';
import type { Labels, PersistentVolume, PersistentVolumeClaim, Pod } from './types.js';

/** volume_binding.go / binder.go reasons, verbatim. */
export const ERR_REASON_NODE_CONFLICT = 'node(s) had volume node affinity conflict';
export const ERR_REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
export const ERR_REASON_UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';
export const ERR_REASON_PV_NOT_EXIST = 'pvc(s) bound to non-existent pv(s)';

export type VolumeLister = Pick<ApiServer, 'get' | 'list'>;

export interface VolumeNodeConstraints {
  /** Set when no node can take the pod until the claims change (PreFilter's UnschedulableAndUnresolvable). */
  unresolvable?: string;
  /** Volumes bound to the pod's claims: every one must fit the node. */
  boundVolumes: PersistentVolume[];
  /** Unbound claims of WaitForFirstConsumer classes, smallest request first. */
  delayedClaims: PersistentVolumeClaim[];
  /** The volumes the delayed claims may take (all PersistentVolumes), when there are delayed claims. */
  candidateVolumes: PersistentVolume[];
}

/** Whether a claim's class binds at first consumer (storagehelpers.IsDelayBindingMode). */
export function isDelayBinding(api: VolumeLister, claim: PersistentVolumeClaim): boolean {
  const name = claimClass(claim);
  if (name === '') return false;
  return api.get('StorageClass', undefined, name)?.volumeBindingMode === 'WaitForFirstConsumer';
}

/** The pod's volume constraints; undefined when it mounts no claim (VolumeBinding skips it). */
export function volumeNodeConstraints(api: VolumeLister, pod: Pod): VolumeNodeConstraints | undefined {
  const names = podClaimNames(pod.spec);
  if (names.length === 0) return undefined;
  const out: VolumeNodeConstraints = { boundVolumes: [], delayedClaims: [], candidateVolumes: [] };
  for (const name of names) {
    const claim = api.get('PersistentVolumeClaim', pod.metadata.namespace, name);
    if (!claim) return { ...out, unresolvable: `persistentvolumeclaim "${name}" not found` };
    if (claim.metadata.deletionTimestamp !== undefined) return { ...out, unresolvable: `persistentvolumeclaim "${name}" is being deleted` };
    const volumeName = claim.spec.volumeName;
    if (volumeName) {
      const volume = api.get('PersistentVolume', undefined, volumeName);
      if (!volume) return { ...out, unresolvable: ERR_REASON_PV_NOT_EXIST };
      out.boundVolumes.push(volume);
    } else if (isDelayBinding(api, claim)) {
      out.delayedClaims.push(claim);
    } else {
      return { ...out, unresolvable: ERR_REASON_UNBOUND_IMMEDIATE };
    }
  }
  if (out.delayedClaims.length > 0) {
    out.delayedClaims.sort((a, b) => claimRequestBytes(a) - claimRequestBytes(b));
    out.candidateVolumes = api.list('PersistentVolume');
  }
  return out;
}

/**
 * The volumes the pod's delayed claims would take on a node (binder.go findMatchingVolumes),
 * in the order of `c.delayedClaims`; undefined when some claim finds none.
 */
export function matchDelayedClaims(c: VolumeNodeConstraints, labels: Labels, nodeName: string): PersistentVolume[] | undefined {
  const chosen: PersistentVolume[] = [];
  const excluded = new Set<string>();
  for (const claim of c.delayedClaims) {
    const volume = findMatchingVolume(claim, c.candidateVolumes, { node: { labels, name: nodeName }, excluded });
    if (!volume) return undefined;
    excluded.add(volume.metadata.name);
    chosen.push(volume);
  }
  return chosen;
}

/** Filter: null when the node suits the pod's volumes, else the upstream reason. */
export function volumeNodeConflict(c: VolumeNodeConstraints, labels: Labels, nodeName: string): string | null {
  for (const v of c.boundVolumes) if (!volumeFitsNode(v, labels, nodeName)) return ERR_REASON_NODE_CONFLICT;
  if (c.delayedClaims.length > 0 && !matchDelayedClaims(c, labels, nodeName)) return ERR_REASON_BIND_CONFLICT;
  return null;
}
