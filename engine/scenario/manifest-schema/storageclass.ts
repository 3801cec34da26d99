/** StorageClass (storage.k8s.io/v1): its fields sit at the top level, beside metadata. */
import { errors } from '../errors.js';
import { enumOf, refine, str } from '../schema.js';
import { kindShape } from './metadata.js';

export const storageClass = refine(
  kindShape('StorageClass', {
    provisioner: str({ minLength: 1 }),
    volumeBindingMode: enumOf(['Immediate', 'WaitForFirstConsumer']).default('Immediate'),
    reclaimPolicy: enumOf(['Retain', 'Delete']).default('Delete'),
  }),
  (sc, ctx) => {
    // storage validation: provisioner is required (kubernetes.io/no-provisioner for static volumes).
    if (sc.provisioner === undefined) throw errors.missingField(ctx.file, ctx.path, 'provisioner');
    return sc;
  },
);
