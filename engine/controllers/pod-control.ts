/**
 * RealPodControl (pkg/controller/controller_utils.go createPods, DeletePod): how the ReplicaSet
 * and DaemonSet controllers create and delete their pods, and the events they record about it.
 * The events come with the API server's answer, not with the request: SuccessfulCreate
 * "Created pod: NAME" once the create returned, FailedCreate "Error creating: ERR" if it
 * failed; SuccessfulDelete "Deleted pod: NAME" once the delete returned, FailedDelete
 * "Error deleting: ERR" if it failed for another reason than NotFound (a pod already gone is
 * returned to the caller without an event). So in events.csv they stand one API write latency
 * after the sync that decided them, at the instant the object changed in the store.
 *
 * `failed` is the caller's part of a refusal: lowering its expectations (CreationObserved,
 * DeletionObserved), and requeueing the owner with back-off unless the pod was NotFound (the
 * controllers do not count that as an error of the sync).
 */
import type { ClusterContext, InvolvedObject } from '../api/context.js';
import { deletePod } from '../api/pod-lifecycle.js';
import { writeErrorText } from '../api/status-error.js';
import type { WriteResult } from '../api/store.js';
import type { Pod } from '../api/types.js';

type Refusal = Exclude<WriteResult, 'ok'>;

/**
 * Creates `pod` for `owner`; returns its name (generated now, as the API server fixes it).
 * `answered` is told when the API server answered, after `failed` on a refusal (slowStartBatch
 * waits for it).
 */
export function createPod(ctx: ClusterContext, owner: InvolvedObject, pod: Pod, failed: (result: Refusal) => void, answered?: (ok: boolean) => void): string {
  const name = ctx.api.create(pod, (result, _pod, message) => {
    if (result === 'ok') {
      ctx.event('Normal', 'SuccessfulCreate', owner, `Created pod: ${name}`);
      answered?.(true);
      return;
    }
    ctx.event('Warning', 'FailedCreate', owner, `Error creating: ${writeErrorText(result, 'pods', name, message)}`);
    failed(result);
    answered?.(false);
  });
  return name;
}

/** Deletes `pod` (gracefully, engine/api/pod-lifecycle.ts deletePod) for `owner`. */
export function deleteOwnedPod(ctx: ClusterContext, owner: InvolvedObject, pod: Pod, failed: (result: Refusal) => void): void {
  const name = pod.metadata.name;
  deletePod(ctx, pod, undefined, (result) => {
    if (result === 'ok') {
      ctx.event('Normal', 'SuccessfulDelete', owner, `Deleted pod: ${name}`);
      return;
    }
    if (result !== 'NotFound') ctx.event('Warning', 'FailedDelete', owner, `Error deleting: ${writeErrorText(result, 'pods', name)}`);
    failed(result);
  });
}
