/** Deployment and ReplicaSet specs (apps/v1), with the Deployment's update strategy. */
import { errors } from '../errors.js';
import { at, enumOf, int, obj, refine } from '../schema.js';
import { podTemplate } from './pod.js';
import { labelSelector } from './selectors.js';
import { intOrPercent, requireSelectedTemplate, requireSurgeOrUnavailable } from './workload.js';

const keep = 'keep' as const;

/** spec.strategy, with apps/v1 validation's rules (pkg/apis/apps/validation ValidateDeploymentStrategy). */
const strategy = refine(
  obj(
    {
      type: enumOf(['RollingUpdate', 'Recreate']),
      rollingUpdate: obj({ maxSurge: intOrPercent(), maxUnavailable: intOrPercent() }, { additional: keep }),
    },
    { additional: keep },
  ),
  (st, ctx) => {
    const ru = st.rollingUpdate;
    if (st.type === 'Recreate' && ru !== undefined) {
      throw errors.invalidValue(ctx.file, at(ctx, 'rollingUpdate').path, "no rollingUpdate when strategy type is 'Recreate'", 'rollingUpdate');
    }
    if (ru) requireSurgeOrUnavailable(ru, at(ctx, 'rollingUpdate'));
    if (typeof ru?.maxUnavailable === 'string' && Number(ru.maxUnavailable.slice(0, -1)) > 100) {
      throw errors.invalidValue(ctx.file, at(at(ctx, 'rollingUpdate'), 'maxUnavailable').path, 'a percentage of at most 100%', ru.maxUnavailable);
    }
    return st;
  },
);

/** Deployment and ReplicaSet specs; the selector rule is apps/v1 validation's ValidatePodTemplateSpecForReplicaSet. */
export const workloadSpec = refine(
  obj(
    {
      replicas: int({ min: 0 }).default(1),
      selector: labelSelector,
      template: podTemplate,
      strategy,
      minReadySeconds: int({ min: 0 }),
      revisionHistoryLimit: int({ min: 0 }),
    },
    { required: ['selector', 'template'], additional: keep },
  ),
  requireSelectedTemplate,
);
