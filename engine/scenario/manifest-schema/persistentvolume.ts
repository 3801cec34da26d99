/** PersistentVolume and PersistentVolumeClaim specs (core/v1). */
import { dnsLabel, dnsSubdomain } from '../formats.js';
import { errors } from '../errors.js';
import { arr, at, enumOf, obj, quantity, refine, str } from '../schema.js';
import { nodeSelector, volumeSelector } from './selectors.js';

const keep = 'keep' as const;

const ACCESS_MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'] as const;
const accessModes = () => arr(enumOf(ACCESS_MODES), { minItems: 1 });

/** PersistentVolumeClaim spec (core validation: access modes and a storage request are required; volumeMode defaults to Filesystem). */
export const claimSpec = obj(
  {
    accessModes: accessModes(),
    resources: obj({ requests: obj({ storage: quantity('text') }, { required: ['storage'], additional: keep }) }, { required: ['requests'], additional: keep }),
    storageClassName: str(),
    volumeName: str(),
    selector: volumeSelector,
    volumeMode: enumOf(['Filesystem', 'Block']).default('Filesystem'),
  },
  { required: ['accessModes', 'resources'], additional: keep },
);

/** PersistentVolume spec; reclaim policy defaults to Retain and volumeMode to Filesystem (core/v1 SetDefaults_PersistentVolume). */
export const volumeSpec = refine(
  obj(
    {
      capacity: obj({ storage: quantity('text') }, { required: ['storage'], additional: keep }),
      accessModes: accessModes(),
      storageClassName: str(),
      persistentVolumeReclaimPolicy: enumOf(['Retain', 'Delete', 'Recycle']).default('Retain'),
      volumeMode: enumOf(['Filesystem', 'Block']).default('Filesystem'),
      nodeAffinity: obj({ required: nodeSelector }, { additional: keep }),
      claimRef: obj({ namespace: dnsLabel(), name: dnsSubdomain(), uid: str() }, { additional: keep }),
      local: obj({ path: str({ minLength: 1 }) }, { required: ['path'], additional: keep }),
    },
    { required: ['capacity', 'accessModes'], additional: keep },
  ),
  (spec, ctx) => {
    // core validation: "Local volume requires node affinity".
    if (spec.local && !spec.nodeAffinity?.required) {
      throw errors.invalidValue(ctx.file, at(ctx, 'nodeAffinity').path, 'nodeAffinity.required naming the node(s) of a local volume', 'none');
    }
    return spec;
  },
);
