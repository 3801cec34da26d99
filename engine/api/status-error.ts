/**
 * The text of the API server's answer to a write it refused, as client-go's StatusError.Error()
 * gives it: what a controller writes into its Failed* events ("Error creating: ...") and kubectl
 * after "Error from server (Reason): ". The store answers the reasons it makes up itself
 * (NotFound, AlreadyExists, Conflict) without a message; those are worded here as
 * k8s.io/apimachinery/pkg/api/errors NewNotFound, NewAlreadyExists and NewConflict word them
 * (with storage's OptimisticLockErrorMsg). Admission and validation refusals bring their own.
 */
import type { WriteResult } from './store.js';

/** k8s.io/apiserver/pkg/registry/generic/registry OptimisticLockErrorMsg. */
export const OPTIMISTIC_LOCK_ERROR_MSG = 'the object has been modified; please apply your changes to the latest version and try again';

/**
 * @param resource the qualified resource, as errors name it: `pods`, `deployments.apps`
 * @param message the message the refusal came with, if any
 */
export function writeErrorText(result: Exclude<WriteResult, 'ok'>, resource: string, name: string, message?: string): string {
  if (message !== undefined) return message;
  switch (result) {
    case 'NotFound':
      return `${resource} "${name}" not found`;
    case 'AlreadyExists':
      return `${resource} "${name}" already exists`;
    case 'Conflict':
      return `Operation cannot be fulfilled on ${resource} "${name}": ${OPTIMISTIC_LOCK_ERROR_MSG}`;
    default:
      return result;
  }
}
