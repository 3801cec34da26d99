/**
 * The ControllerRefManager (pkg/controller/controller_ref_manager.go): which of the objects a
 * controller lists are its own. BaseControllerRefManager.ClaimObject, object by object:
 *  - controlled by another controller: ignored;
 *  - controlled by this one and matching: claimed (even while this controller is being deleted);
 *  - controlled by this one and no longer matching: released, unless this controller is being
 *    deleted: a patch removes the owner reference, the object becomes an orphan and lives on;
 *  - an orphan that matches, not being deleted, in the controller's namespace, while the
 *    controller is not being deleted: adopted with a patch adding the controller reference.
 * Adoption first rechecks that the controller still exists under the same uid and is not being
 * deleted (RecheckDeletionTimestamp, the `canAdoptFunc` of each controller, an uncached read):
 * if not, no adoption happens and the sync fails (returns its error and is retried).
 *
 * The patches are AdoptPod / ReleasePod (AdoptReplicaSet / ReleaseReplicaSet): strategic merge
 * patches of metadata.ownerReferences, keyed by uid, carrying metadata.uid as a precondition.
 * Adopting adds `{apiVersion, kind, name, uid, controller: true, blockOwnerDeletion: true}`;
 * the API server refuses it (422, ValidateOwnerReferences) when another reference already has
 * controller set, and refuses both when the object was recreated under another uid; a release
 * that finds no such reference changes nothing. No Event is recorded for either: the patches
 * go through PodControl.PatchPod / RSControl.PatchReplicaSet, which record none (upstream logs
 * the release at V(2) only). The change is visible in `kubectl get pod -o yaml`.
 *
 * Here writes commit after the API server's latency, where upstream's sync waits for its patch
 * to return: an adoption is not counted until the watch shows it. A sync that issued adoptions
 * reports them (`adopting`) and manages nothing (the controllers return, as upstream would
 * return the error of a refused patch): the adopted pods' update brings the controller back,
 * and a refused patch (another controller adopted the pod first, or it was recreated) is
 * reported to `failed`, which requeues the key with back-off. Counting a pod whose adoption
 * then fails would make a controller manage pods it does not own. A release takes the object
 * out of the claimed list at once, as upstream's does.
 */
import { controllerOf, ownerRef } from '../api/owners.js';
import type { ApiServer } from '../api/store.js';
import type { ObjectMeta } from '../api/types.js';

export interface ControllerObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
}

type ClaimableKind = 'Pod' | 'ReplicaSet';

export interface ClaimOptions<T extends { metadata: ObjectMeta }> {
  api: ApiServer;
  /** The kind of the objects claimed (the patch goes to it). */
  kind: ClaimableKind;
  controller: ControllerObject;
  /** The selector and the controller's own filters (ClaimPods' `filters`). */
  match: (object: T) => boolean;
  /** A patch the API server refused, or a recheck that forbade adoption: the sync must be retried. */
  failed: () => void;
}

export interface Claimed<T> {
  /** The objects the controller owns and that still match. */
  claimed: T[];
  /** How many adoptions this claim issued (not counted in `claimed` until the watch shows them). */
  adopting: number;
}

/**
 * ClaimPods / ClaimReplicaSets: the objects this controller owns, adoptions and releases issued
 * on the way. Returns undefined when an adoption was attempted and canAdopt refused it (the
 * sync's error: upstream returns before managing anything).
 */
export function claimObjects<T extends { metadata: ObjectMeta }>(objects: readonly T[], o: ClaimOptions<T>): Claimed<T> | undefined {
  const claimed: T[] = [];
  let adopting = 0;
  const controllerMeta = o.controller.metadata;
  const beingDeleted = controllerMeta.deletionTimestamp !== undefined;
  let canAdopt: boolean | undefined; // canAdoptOnce: checked at the first adoption of a sync only
  let refused = false;
  for (const object of objects) {
    const ref = controllerOf(object.metadata);
    if (ref) {
      if (ref.uid !== controllerMeta.uid) continue;
      if (o.match(object)) {
        claimed.push(object);
        continue;
      }
      if (beingDeleted) continue;
      releaseObject(o.api, o.kind, object.metadata, controllerMeta.uid!, o.failed);
      continue;
    }
    if (beingDeleted || !o.match(object)) continue;
    if (object.metadata.deletionTimestamp !== undefined) continue;
    if (controllerMeta.namespace && controllerMeta.namespace !== object.metadata.namespace) continue;
    canAdopt ??= recheckDeletionTimestamp(o.api, o.controller);
    if (!canAdopt) {
      refused = true;
      continue;
    }
    adoptObject(o.api, o.kind, object.metadata, o.controller, o.failed);
    adopting++;
  }
  if (refused) {
    o.failed();
    return undefined;
  }
  return { claimed, adopting };
}

/**
 * RecheckDeletionTimestamp with each controller's getter: the controller read afresh must
 * still be there, with the same uid ("original ReplicaSet ... is gone"), and not being deleted.
 */
export function recheckDeletionTimestamp(api: ApiServer, controller: ControllerObject): boolean {
  const kind = controller.kind as 'ReplicaSet' | 'StatefulSet' | 'DaemonSet' | 'Deployment';
  const fresh = api.get(kind, controller.metadata.namespace, controller.metadata.name);
  return fresh !== undefined && fresh.metadata.uid === controller.metadata.uid && fresh.metadata.deletionTimestamp === undefined;
}

/** AdoptPod / AdoptReplicaSet: the strategic merge patch adding the controller reference. */
export function adoptObject(api: ApiServer, kind: ClaimableKind, meta: ObjectMeta, controller: ControllerObject, failed: () => void): void {
  const ref = ownerRef(controller);
  let refusal: string | undefined;
  api.update(
    kind,
    meta.namespace,
    meta.name,
    (object) => {
      const m = object.metadata;
      // The precondition on metadata.uid: the object was deleted and recreated meanwhile.
      if (m.uid !== meta.uid) {
        refusal = 'Conflict';
        return false;
      }
      const other = controllerOf(m);
      // ValidateOwnerReferences: "Only one reference can have Controller set to true".
      if (other && other.uid !== ref.uid) {
        refusal = 'Invalid';
        return false;
      }
      const refs = m.ownerReferences ?? [];
      const i = refs.findIndex((r) => r.uid === ref.uid);
      // ownerReferences merge by uid (patchMergeKey): an entry for this uid is updated in place.
      m.ownerReferences = i < 0 ? [...refs, ref] : refs.map((r, j) => (j === i ? { ...r, ...ref } : r));
      return true;
    },
    (result) => {
      if (result === 'NotFound') return; // the object is gone: nothing to adopt (ignored upstream)
      if (result !== 'ok' || refusal !== undefined) failed();
    },
  );
}

/** ReleasePod / ReleaseReplicaSet: `{"$patch":"delete","uid":...}` on ownerReferences; 404 and 422 ignored. */
export function releaseObject(api: ApiServer, kind: ClaimableKind, meta: ObjectMeta, ownerUid: string, failed: () => void): void {
  api.update(
    kind,
    meta.namespace,
    meta.name,
    (object) => {
      const m = object.metadata;
      if (m.uid !== meta.uid) return false;
      const refs = m.ownerReferences ?? [];
      if (!refs.some((r) => r.uid === ownerUid)) return false; // nothing to delete: the patch changes nothing
      const kept = refs.filter((r) => r.uid !== ownerUid);
      if (kept.length > 0) m.ownerReferences = kept;
      else delete m.ownerReferences;
      return true;
    },
    (result) => {
      if (result !== 'ok' && result !== 'NotFound') failed();
    },
  );
}
