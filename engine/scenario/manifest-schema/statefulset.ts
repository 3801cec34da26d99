/** StatefulSet spec (apps/v1). */
import { errors } from '../errors.js';
import { dnsSubdomain, labels } from '../formats.js';
import { arr, at, enumOf, int, map, obj, refine, str } from '../schema.js';
import { claimSpec } from './persistentvolume.js';
import { podTemplate } from './pod.js';
import { labelSelector } from './selectors.js';
import { intOrPercent, requireSelectedTemplate } from './workload.js';

const keep = 'keep' as const;

/** StatefulSet spec; defaults of apps/v1 SetDefaults_StatefulSet (replicas 1, OrderedReady, RollingUpdate partition 0). */
export const statefulSetSpec = refine(
  obj(
    {
      replicas: int({ min: 0 }).default(1),
      selector: labelSelector,
      template: podTemplate,
      serviceName: str(),
      podManagementPolicy: enumOf(['OrderedReady', 'Parallel']).default('OrderedReady'),
      updateStrategy: obj(
        {
          type: enumOf(['RollingUpdate', 'OnDelete']).default('RollingUpdate'),
          rollingUpdate: obj({ partition: int({ min: 0 }), maxUnavailable: intOrPercent() }, { additional: keep }),
        },
        { additional: keep },
      ),
      volumeClaimTemplates: arr(
        obj(
          { metadata: obj({ name: dnsSubdomain(), labels: labels(), annotations: map(str()) }, { required: ['name'], additional: keep }), spec: claimSpec },
          { required: ['metadata', 'spec'], additional: keep },
        ),
      ),
      minReadySeconds: int({ min: 0 }),
      revisionHistoryLimit: int({ min: 0 }).default(10),
      ordinals: obj({ start: int({ min: 0 }) }, { additional: keep }),
    },
    { required: ['selector', 'template'], additional: keep },
  ),
  (spec, ctx) => {
    requireSelectedTemplate(spec, ctx);
    const seen = new Set<string>();
    (spec.volumeClaimTemplates ?? []).forEach((t, i) => {
      if (seen.has(t.metadata.name)) {
        const c = at(at(at(at(ctx, 'volumeClaimTemplates'), i), 'metadata'), 'name');
        throw errors.duplicate(c.file, c.path, 'volumeClaimTemplates name', t.metadata.name);
      }
      seen.add(t.metadata.name);
    });
    return spec;
  },
);
