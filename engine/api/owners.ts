import type { ObjectMeta, OwnerReference } from './types.js';

/** The controller owner reference of an object (metav1.GetControllerOf). */
export function controllerOf(meta: ObjectMeta): OwnerReference | undefined {
  return meta.ownerReferences?.find((ref) => ref.controller === true);
}

/** metav1.NewControllerRef: controller and blockOwnerDeletion both true, as every controller writes it. */
export function ownerRef(owner: { apiVersion: string; kind: string; metadata: ObjectMeta }): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}
