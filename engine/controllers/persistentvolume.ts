/**
 * The PersistentVolume controller's binder (pkg/controller/volume/persistentvolume/
 * pv_controller.go): binds each unbound claim to the best matching static volume and keeps
 * both phases right.
 *
 *  - A new volume becomes Available; a volume whose claim is gone becomes Released (the
 *    reclaim policy Retain keeps it, bound to nothing new, as upstream does; Delete and Recycle
 *    reclaimers are not modelled).
 *  - An unbound claim gets the smallest Available volume of its class that satisfies its size,
 *    access modes, volumeMode and selector (findBestMatchForClaim, engine/api/persistent-volumes.ts);
 *    a volume pre-bound to it by claimRef, or named by its spec.volumeName, wins. The volume is
 *    written first (claimRef, phase Bound), then the claim (volumeName, phase Bound, capacity),
 *    with the annotations upstream sets (pv.kubernetes.io/bind-completed, bound-by-controller).
 *  - A claim without storageClassName gets the default StorageClass, if there is one
 *    (RetroactiveDefaultStorageClass, GA in 1.28).
 *  - A claim of a WaitForFirstConsumer class is left to the scheduler until a pod using it is
 *    scheduled; kubesim's scheduler places such pods only where a matching volume exists
 *    (engine/scheduler/plugins/volume-binding.ts), and this controller then binds the volume that
 *    fits the pod's node, standing in for the scheduler's PreBind (binder.go BindPodVolumes).
 *    Dynamic provisioning is not modelled: a claim no static volume satisfies stays Pending.
 *
 * Events (pkg/controller/volume/events): FailedBinding "no persistent volumes available for
 * this claim and no storage class is set", WaitForFirstConsumer "waiting for first consumer to
 * be created before binding", WaitForPodScheduled "waiting for pod <name> to be scheduled".
 * Upstream repeats them every --pvclaimbinder-sync-period (15 s); kubesim records each once per
 * claim and reason, since its syncs follow watch events rather than a period.
 */
import type { ClusterContext } from '../api/context.js';
import {
  ANN_BIND_COMPLETED,
  ANN_BOUND_BY_CONTROLLER,
  claimClass,
  defaultStorageClass,
  findBestMatchForClaim,
  findMatchingVolume,
  isDelayBinding,
  isVolumeBoundToClaim,
  podClaimNames,
} from '../api/persistent-volumes.js';
import { objectKey } from '../api/store.js';
import type { PersistentVolume, PersistentVolumeClaim } from '../api/types.js';
import { WorkQueue } from './work-queue.js';

const CLAIM = 'claim:';
const VOLUME = 'volume:';

export class PersistentVolumeController {
  private readonly queue: WorkQueue;
  /** Volumes whose binding write is in flight, by volume name (the controller's assumed-volume cache). */
  private readonly assumed = new Map<string, string>();
  /** Claim key + reason of events already recorded. */
  private readonly reported = new Set<string>();

  constructor(private readonly ctx: ClusterContext) {
    this.queue = new WorkQueue(ctx.sim, (key) => (key.startsWith(CLAIM) ? this.syncClaim(key.slice(CLAIM.length)) : this.syncVolume(key.slice(VOLUME.length))));
    ctx.api.watch('PersistentVolume', (_type, pv) => {
      if (pv.spec.claimRef || _type === 'DELETED') this.assumed.delete(pv.metadata.name);
      this.queue.add(VOLUME + pv.metadata.name);
      // A volume appearing or freed may be what a pending claim waits for.
      this.enqueueUnboundClaims();
    });
    ctx.api.watch('PersistentVolumeClaim', (type, pvc) => {
      const key = objectKey(pvc.metadata.namespace, pvc.metadata.name);
      if (type === 'DELETED') {
        for (const pv of ctx.api.list('PersistentVolume')) if (pv.spec.claimRef?.uid === pvc.metadata.uid) this.queue.add(VOLUME + pv.metadata.name);
        return;
      }
      this.queue.add(CLAIM + key);
    });
    ctx.api.watch('StorageClass', () => this.enqueueUnboundClaims());
    // A scheduled pod is the first consumer its WaitForFirstConsumer claims wait for.
    ctx.api.watch('Pod', (type, pod) => {
      if (type === 'DELETED' || !pod.spec.nodeName) return;
      for (const name of podClaimNames(pod.spec)) {
        const claim = ctx.api.get('PersistentVolumeClaim', pod.metadata.namespace, name);
        if (claim && !claim.spec.volumeName) this.queue.add(CLAIM + objectKey(pod.metadata.namespace, name));
      }
    });
  }

  get workQueue(): WorkQueue {
    return this.queue;
  }

  private enqueueUnboundClaims(): void {
    for (const pvc of this.ctx.api.list('PersistentVolumeClaim')) {
      if (!pvc.spec.volumeName) this.queue.add(CLAIM + objectKey(pvc.metadata.namespace, pvc.metadata.name));
    }
  }

  private syncVolume(name: string): void {
    const { api } = this.ctx;
    const pv = api.get('PersistentVolume', undefined, name);
    if (!pv) return;
    const ref = pv.spec.claimRef;
    let phase: NonNullable<PersistentVolume['status']>['phase'];
    if (!ref) {
      phase = 'Available';
    } else {
      const claim = ref.name ? api.get('PersistentVolumeClaim', ref.namespace, ref.name) : undefined;
      if (ref.uid === undefined) {
        // Pre-bound by the user: available to that claim only, until the claim is bound to it.
        phase = claim?.spec.volumeName === name ? 'Bound' : 'Available';
        if (claim && !claim.spec.volumeName) this.queue.add(CLAIM + objectKey(claim.metadata.namespace, claim.metadata.name));
      } else if (!claim || claim.metadata.uid !== ref.uid) {
        // The claim is gone: Retain keeps the data and the claimRef, so nothing new binds here.
        phase = pv.status?.phase === 'Bound' || pv.status?.phase === 'Released' ? 'Released' : 'Available';
      } else {
        phase = claim.spec.volumeName === name ? 'Bound' : pv.status?.phase;
        if (!claim.spec.volumeName) this.queue.add(CLAIM + objectKey(claim.metadata.namespace, claim.metadata.name));
      }
    }
    if (phase && pv.status?.phase !== phase) {
      api.update('PersistentVolume', undefined, name, (v) => {
        v.status = { ...v.status, phase };
      });
    }
  }

  private syncClaim(key: string): void {
    const { api } = this.ctx;
    const [namespace, name] = splitKey(key);
    const claim = api.get('PersistentVolumeClaim', namespace, name);
    if (!claim) return;
    if (claim.spec.volumeName) {
      this.syncBoundClaim(claim, claim.spec.volumeName);
      return;
    }
    if (claim.spec.storageClassName === undefined && claim.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] === undefined) {
      const def = defaultStorageClass(api.list('StorageClass'));
      if (def) {
        api.update('PersistentVolumeClaim', namespace, name, (c) => {
          if (c.spec.storageClassName !== undefined) return false;
          c.spec.storageClassName = def.metadata.name;
        });
        return;
      }
    }
    const delay = isDelayBinding(api, claim);
    const volumes = api.list('PersistentVolume').filter((v) => !this.assumed.has(v.metadata.name) || this.assumed.get(v.metadata.name) === key);
    let volume = findBestMatchForClaim(claim, volumes, delay);
    if (!volume && delay) volume = this.matchForConsumer(claim, volumes);
    if (volume) {
      this.bind(volume, claim);
      return;
    }
    // A volume the controller has not made Available yet may be the match: its sync requeues this claim.
    const settling = volumes.some((v) => !v.spec.claimRef && (v.status?.phase ?? 'Pending') === 'Pending');
    if (settling) {
      // nothing to report yet
    } else if (delay) {
      const user = api.list('Pod', namespace).find((p) => podClaimNames(p.spec).includes(name));
      if (user) this.report(claim, 'Normal', 'WaitForPodScheduled', `waiting for pod ${user.metadata.name} to be scheduled`);
      else this.report(claim, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
    } else if (claimClass(claim) === '') {
      this.report(claim, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
    }
    if (claim.status?.phase !== 'Pending') {
      api.update('PersistentVolumeClaim', namespace, name, (c) => {
        if (c.spec.volumeName) return false;
        c.status = { ...c.status, phase: 'Pending' };
      });
    }
  }

  /** A WaitForFirstConsumer claim whose pod is scheduled: the best volume fitting the pod's node. */
  private matchForConsumer(claim: PersistentVolumeClaim, volumes: PersistentVolume[]): PersistentVolume | undefined {
    const { api } = this.ctx;
    const pod = api
      .list('Pod', claim.metadata.namespace)
      .find((p) => p.spec.nodeName && p.metadata.deletionTimestamp === undefined && podClaimNames(p.spec).includes(claim.metadata.name));
    const node = pod && api.get('Node', undefined, pod.spec.nodeName!);
    if (!node) return undefined;
    return findMatchingVolume(claim, volumes, { node: { labels: node.metadata.labels ?? {}, name: node.metadata.name } });
  }

  /** syncClaim for a claim naming its volume: finish a half-done or pre-bound binding, or mark it Lost. */
  private syncBoundClaim(claim: PersistentVolumeClaim, volumeName: string): void {
    const { api } = this.ctx;
    const pv = api.get('PersistentVolume', undefined, volumeName);
    const { namespace, name } = claim.metadata;
    if (!pv) {
      if (claim.metadata.annotations?.[ANN_BIND_COMPLETED] === 'yes' && claim.status?.phase !== 'Lost') {
        this.ctx.event('Warning', 'ClaimLost', claim, 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
        api.update('PersistentVolumeClaim', namespace, name, (c) => {
          c.status = { ...c.status, phase: 'Lost' };
        });
      }
      return;
    }
    if (!pv.spec.claimRef || isVolumeBoundToClaim(pv, claim)) {
      if (pv.spec.claimRef?.uid === claim.metadata.uid && claim.status?.phase === 'Bound') return;
      this.bind(pv, claim);
      return;
    }
    // The volume belongs to another claim: this one waits (upstream: "volume already bound to different claim").
    this.report(claim, 'Warning', 'FailedBinding', `volume "${volumeName}" already bound to a different claim.`);
  }

  private bind(volume: PersistentVolume, claim: PersistentVolumeClaim): void {
    const { api } = this.ctx;
    const key = objectKey(claim.metadata.namespace, claim.metadata.name);
    const claimRef = { kind: 'PersistentVolumeClaim', namespace: claim.metadata.namespace!, name: claim.metadata.name, uid: claim.metadata.uid! };
    this.assumed.set(volume.metadata.name, key);
    let applied = false;
    api.update(
      'PersistentVolume',
      undefined,
      volume.metadata.name,
      (v) => {
        const ref = v.spec.claimRef;
        // Someone else bound it first (the write raced another claim's): give up, resync the claim.
        if (ref && (ref.name !== claimRef.name || ref.namespace !== claimRef.namespace || (ref.uid !== undefined && ref.uid !== claimRef.uid))) return false;
        applied = true;
        if (!ref) v.metadata.annotations = { ...v.metadata.annotations, [ANN_BOUND_BY_CONTROLLER]: 'yes' };
        v.spec.claimRef = claimRef;
        v.status = { ...v.status, phase: 'Bound' };
      },
      (result) => {
        if (result !== 'ok' || !applied) {
          this.assumed.delete(volume.metadata.name);
          this.queue.add(CLAIM + key);
          return;
        }
        api.update('PersistentVolumeClaim', claim.metadata.namespace, claim.metadata.name, (c) => {
          if (c.metadata.uid !== claimRef.uid) return false;
          const annotations: Record<string, string> = { ...c.metadata.annotations, [ANN_BIND_COMPLETED]: 'yes' };
          if (!c.spec.volumeName) annotations[ANN_BOUND_BY_CONTROLLER] = 'yes';
          c.metadata.annotations = annotations;
          c.spec.volumeName = volume.metadata.name;
          c.status = { phase: 'Bound', capacity: { storage: volume.spec.capacity.storage }, accessModes: [...volume.spec.accessModes] };
        });
      },
    );
  }

  private report(claim: PersistentVolumeClaim, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const id = `${objectKey(claim.metadata.namespace, claim.metadata.name)}\0${claim.metadata.uid}\0${reason}`;
    if (this.reported.has(id)) return;
    this.reported.add(id);
    this.ctx.event(type, reason, claim, message);
  }
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}
