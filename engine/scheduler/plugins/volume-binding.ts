/**
 * VolumeBinding (pkg/scheduler/framework/plugins/volumebinding/volume_binding.go): PreFilter
 * skips pods without PersistentVolumeClaims and rejects everywhere a pod whose claims cannot
 * be satisfied (missing, being deleted, unbound with an Immediate class, bound to a missing
 * volume); Filter rejects nodes outside a bound local volume's node affinity, and nodes with no
 * Available volume for a WaitForFirstConsumer claim. The claim and volume rules themselves live
 * in engine/api/volume-node-constraints.ts, read from the snapshot's volume lister (the API
 * server in runs; nothing for `kubesim schedule`, where any claim is "not found").
 * Binding itself is the PersistentVolume controller's (engine/controllers/persistentvolume.ts).
 */
import { volumeNodeConflict, volumeNodeConstraints, type VolumeNodeConstraints } from '../../api/volume-node-constraints.js';
import { SKIP, unresolvable, unschedulable, type Plugin } from '../types.js';

const STATE_KEY = 'PreFilterVolumeBinding';

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
  };
}
