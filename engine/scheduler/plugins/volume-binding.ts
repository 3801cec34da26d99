/**
 * VolumeBinding (pkg/scheduler/framework/plugins/volumebinding/volume_binding.go): PreFilter
 * skips pods without PersistentVolumeClaims and rejects everywhere a pod whose claims cannot
 * be satisfied (missing, being deleted, unbound with an Immediate class, bound to a missing
 * volume); Filter rejects nodes outside a bound local volume's node affinity, and nodes with no
 * Available volume for a WaitForFirstConsumer claim. The claim and volume rules themselves live
 * in engine/api/volume-node-constraints.ts, read from the snapshot's volume lister (the API
 * server in runs; nothing for `kubesim schedule`, where any claim is "not found").
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
import { podClaimNames } from '../../api/persistent-volumes.js';
import type { PersistentVolumeClaim, StorageClass } from '../../api/types.js';
import { volumeNodeConflict, volumeNodeConstraints, type VolumeNodeConstraints } from '../../api/volume-node-constraints.js';
import { ActionType } from '../cluster-event.js';
import { SKIP, unresolvable, unschedulable, type Plugin } from '../types.js';

const STATE_KEY = 'PreFilterVolumeBinding';

const allowedTopologies = (sc: StorageClass): string => canonicalJson((sc as { allowedTopologies?: unknown }).allowedTopologies ?? null);

export function volumeBinding(): Plugin {
  return {
    name: 'VolumeBinding',
    preFilter(state, pod) {
      const c = volumeNodeConstraints(state.snapshot.volumes, pod.pod);
      if (!c) return SKIP;
      if (c.unresolvable) return unresolvable(c.unresolvable);
      state.write(STATE_KEY, c);
      return null;
    },
    filter(state, _pod, node) {
      const c = state.read<VolumeNodeConstraints>(STATE_KEY);
      if (!c) return null;
      const reason = volumeNodeConflict(c, node.labels, node.name);
      return reason === null ? null : unschedulable(reason);
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
