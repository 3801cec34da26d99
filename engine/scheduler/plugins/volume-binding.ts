/**
 * VolumeBinding (pkg/scheduler/framework/plugins/volumebinding/volume_binding.go and binder.go,
 * Kubernetes 1.32). Every failure is UnschedulableAndUnresolvable: no preemption frees a volume.
 *  - PreFilter skips pods without PersistentVolumeClaims. It then checks every claim in volume
 *    order (podHasPVCs): missing (`persistentvolumeclaim "c" not found`), Lost
 *    (`persistentvolumeclaim "c" bound to non-existent persistentvolume "v"`), being deleted;
 *    then sorts them (GetPodVolumeClaims): fully bound (volumeName and the bind-completed
 *    annotation), unbound of a WaitForFirstConsumer class, or else "immediate" (including a
 *    claim naming a volume the PV controller has not finished binding), any of which rejects
 *    the pod everywhere with "pod has unbound immediate PersistentVolumeClaims". Bound claims
 *    whose volumes are local to named nodes narrow the nodes Filter sees (GetEligibleNodes,
 *    PreFilterResult.NodeNames; see localVolumeNodeNames).
 *  - Filter (FindPodVolumes): the bound claims in order until one's volume is missing
 *    (ErrReasonPVNotExist) or outside its node affinity (ErrReasonNodeConflict); the
 *    WaitForFirstConsumer claims each need an Available volume that fits the node
 *    (ErrReasonBindConflict). A node can fail for several reasons at once, listed in binder.go's
 *    order (node conflict, bind conflict, not enough space, PV not exist).
 * Dynamic provisioning (and so ErrReasonNotEnoughSpace and the selected-node annotation) is not
 * modelled: a WaitForFirstConsumer claim with no volume to take is a bind conflict. The claim and
 * volume rules live in engine/api/persistent-volumes.ts, read from the snapshot's volume lister
 * (the API server in runs; nothing for `kubesim schedule`, where any claim is "not found").
 * Binding itself is the PersistentVolume controller's (engine/controllers/persistentvolume.ts).
 *
 * EventsToRegister (queueing hints on; EventsToRegister, isSchedulableAfterStorageClassChange,
 * isSchedulableAfterPersistentVolumeClaimChange): StorageClass Add/Update (an update only when
 * allowedTopologies changed), PersistentVolumeClaim Add/Update of a claim the pod mounts,
 * PersistentVolume Add/Update, Node Add/UpdateNodeLabel (the queue adds Node/UpdateNodeTaint,
 * queueing-hints.ts). Deletions are not registered: they never make a pod schedulable. The
 * CSINode, CSIDriver and CSIStorageCapacity registrations are left out: kubesim has no such
 * objects.
 */
import { canonicalJson } from '../../api/names.js';
import { ANN_BIND_COMPLETED, claimRequestBytes, findMatchingVolume, isDelayBinding, podClaimNames, volumeFitsNode } from '../../api/persistent-volumes.js';
import type { Labels, PersistentVolume, PersistentVolumeClaim, StorageClass } from '../../api/types.js';
import { ActionType } from '../cluster-event.js';
import { SKIP, Status, unresolvable, type Plugin } from '../types.js';

/** volume_binding.go / binder.go reasons, verbatim. */
export const ERR_REASON_NODE_CONFLICT = 'node(s) had volume node affinity conflict';
export const ERR_REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
export const ERR_REASON_UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';
/** binder.go ErrReasonPVNotExist, as worded since kubernetes#105196 (1.23). */
export const ERR_REASON_PV_NOT_EXIST = 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';

const STATE_KEY = 'PreFilterVolumeBinding';

/** The pod's unbound WaitForFirstConsumer claims, smallest request first, and the volumes they may take. */
interface DelayedClaims {
  delayedClaims: PersistentVolumeClaim[];
  candidateVolumes: PersistentVolume[];
}

interface PodVolumeClaims {
  /** The volume of each fully bound claim, in volume order (undefined: the volume is gone). */
  boundVolumes: (PersistentVolume | undefined)[];
  delayed: DelayedClaims;
}

/**
 * The volumes the pod's delayed claims would take on a node (binder.go findMatchingVolumes),
 * in the order of `c.delayedClaims`, each volume used once; undefined when some claim finds none.
 */
function matchDelayedClaims(c: DelayedClaims, labels: Labels, nodeName: string): PersistentVolume[] | undefined {
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

const allowedTopologies = (sc: StorageClass): string => canonicalJson((sc as { allowedTopologies?: unknown }).allowedTopologies ?? null);

/**
 * GetLocalPersistentVolumeNodeNames (pkg/volume/util/util.go): the values of the volume's
 * required `kubernetes.io/hostname In` expressions, intersected within a term and united over
 * terms; a term without one adds nothing (unlike NodeAffinity, where it would allow every
 * node). The hostname label's values are taken as node names, as upstream does.
 */
export function localVolumeNodeNames(volume: PersistentVolume): Set<string> {
  const result = new Set<string>();
  for (const term of volume.spec.nodeAffinity?.required?.nodeSelectorTerms ?? []) {
    let nodes: Set<string> | undefined;
    for (const e of term.matchExpressions ?? []) {
      if (e.key !== 'kubernetes.io/hostname' || e.operator !== 'In') continue;
      const values = new Set(e.values ?? []);
      nodes = nodes === undefined ? values : new Set([...nodes].filter((v) => values.has(v)));
    }
    for (const n of nodes ?? []) result.add(n);
  }
  return result;
}

/**
 * GetEligibleNodes (binder.go): the intersection of the node names of the bound volumes that
 * have any; undefined (every node) when none has, or when a bound volume is missing.
 */
function eligibleNodes(boundVolumes: readonly (PersistentVolume | undefined)[]): Set<string> | undefined {
  let eligible: Set<string> | undefined;
  for (const volume of boundVolumes) {
    if (volume === undefined) return undefined;
    const names = localVolumeNodeNames(volume);
    if (names.size === 0) continue;
    eligible = eligible === undefined ? names : new Set([...eligible].filter((n) => names.has(n)));
  }
  return eligible;
}

/** isPVCFullyBound: the claim names its volume and the PV controller finished the binding. */
const fullyBound = (claim: PersistentVolumeClaim): boolean => !!claim.spec.volumeName && claim.metadata.annotations?.[ANN_BIND_COMPLETED] !== undefined;

export function volumeBinding(): Plugin {
  return {
    name: 'VolumeBinding',
    preFilter(state, pod) {
      const names = podClaimNames(pod.pod.spec);
      if (names.length === 0) return SKIP;
      const lister = state.snapshot.volumes;
      // podHasPVCs: every claim must exist, not be Lost, not be being deleted.
      const claims: PersistentVolumeClaim[] = [];
      for (const name of names) {
        const claim = lister.get('PersistentVolumeClaim', pod.namespace, name);
        if (!claim) return unresolvable(`persistentvolumeclaim "${name}" not found`);
        if (claim.status?.phase === 'Lost') return unresolvable(`persistentvolumeclaim "${name}" bound to non-existent persistentvolume "${claim.spec.volumeName ?? ''}"`);
        if (claim.metadata.deletionTimestamp !== undefined) return unresolvable(`persistentvolumeclaim "${name}" is being deleted`);
        claims.push(claim);
      }
      // GetPodVolumeClaims: bound, delayed, or immediate (which should have been bound already).
      const s: PodVolumeClaims = { boundVolumes: [], delayed: { delayedClaims: [], candidateVolumes: [] } };
      let immediate = false;
      for (const claim of claims) {
        if (fullyBound(claim)) s.boundVolumes.push(lister.get('PersistentVolume', undefined, claim.spec.volumeName!));
        else if (!claim.spec.volumeName && isDelayBinding(lister, claim)) s.delayed.delayedClaims.push(claim);
        else immediate = true;
      }
      if (immediate) return unresolvable(ERR_REASON_UNBOUND_IMMEDIATE);
      if (s.delayed.delayedClaims.length > 0) {
        // findMatchingVolumes takes the claims smallest request first.
        s.delayed.delayedClaims.sort((a, b) => claimRequestBytes(a) - claimRequestBytes(b));
        s.delayed.candidateVolumes = lister.list('PersistentVolume');
      }
      state.write(STATE_KEY, s);
      const eligible = eligibleNodes(s.boundVolumes);
      if (eligible !== undefined) state.preFilterNodeNames = eligible;
      return null;
    },
    filter(state, _pod, node) {
      const s = state.read<PodVolumeClaims>(STATE_KEY);
      if (!s) return null;
      // checkBoundClaims: stops at the first missing volume or node affinity conflict.
      let boundSatisfied = true;
      let boundFound = true;
      for (const volume of s.boundVolumes) {
        if (volume === undefined) {
          boundFound = false;
          break;
        }
        if (!volumeFitsNode(volume, node.labels, node.name)) {
          boundSatisfied = false;
          break;
        }
      }
      const unboundSatisfied = s.delayed.delayedClaims.length === 0 || matchDelayedClaims(s.delayed, node.labels, node.name) !== undefined;
      if (boundSatisfied && boundFound && unboundSatisfied) return null;
      const reasons: string[] = [];
      if (!boundSatisfied) reasons.push(ERR_REASON_NODE_CONFLICT);
      if (!unboundSatisfied) reasons.push(ERR_REASON_BIND_CONFLICT);
      if (!boundFound) reasons.push(ERR_REASON_PV_NOT_EXIST);
      return new Status('UnschedulableAndUnresolvable', reasons);
    },
    eventsToRegister: () => [
      {
        event: { resource: 'StorageClass', actionType: ActionType.Add | ActionType.Update },
        hint(_pod, oldObj, newObj) {
          if (oldObj === undefined) return 'Queue';
          return allowedTopologies(oldObj as StorageClass) !== allowedTopologies(newObj as StorageClass) ? 'Queue' : 'QueueSkip';
        },
      },
      {
        event: { resource: 'PersistentVolumeClaim', actionType: ActionType.Add | ActionType.Update },
        hint(pod, _oldObj, newObj) {
          const claim = newObj as PersistentVolumeClaim;
          if ((claim.metadata.namespace ?? 'default') !== pod.namespace) return 'QueueSkip';
          return podClaimNames(pod.pod.spec).includes(claim.metadata.name) ? 'Queue' : 'QueueSkip';
        },
      },
      { event: { resource: 'PersistentVolume', actionType: ActionType.Add | ActionType.Update } },
      { event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel } },
    ],
  };
}
