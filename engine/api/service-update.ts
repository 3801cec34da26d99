/**
 * What kube-apiserver's Service registry makes of an update before the cluster IP allocator
 * sees it, in its order (pkg/registry/core/service/storage/storage.go beginUpdate
 * patchAllocatedValues; strategy.go PrepareForUpdate dropTypeDependentFields; the core/v1
 * defaults; validation.go ValidateServiceUpdate for the type-dependent fields): a pure function,
 * so that the API server (engine/api/store.ts) and kubectl's load-time check of a patch
 * (engine/kubectl/patch.ts) agree on what a change of type leaves, and on what is refused.
 */
import type { ServiceRefusal } from './service-alloc.js';
import { dropTypeDependentFields, setDefaultsService } from './service-defaults.js';
import { patchAllocatedNodePorts } from './service-node-ports.js';
import { validateServiceTypeFields } from './service-validation.js';
import type { Service } from './types.js';

/** Prepares `after` (changed in place) as an update of `before`; the refusal, if validation fails. */
export function prepareServiceUpdate(before: Service, after: Service): ServiceRefusal | undefined {
  patchAllocatedNodePorts(after, before);
  dropTypeDependentFields(before, after);
  setDefaultsService(after);
  return validateServiceTypeFields(after, before);
}
