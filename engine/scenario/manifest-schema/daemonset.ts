/** DaemonSet spec (apps/v1). */
import { at, enumOf, int, obj, refine } from '../schema.js';
import { podTemplate } from './pod.js';
import { labelSelector } from './selectors.js';
import { intOrPercent, requireSelectedTemplate, requireSurgeOrUnavailable } from './workload.js';

const keep = 'keep' as const;

/** DaemonSet spec; defaults of apps/v1 SetDefaults_DaemonSet (RollingUpdate, maxUnavailable 1, maxSurge 0). */
export const daemonSetSpec = refine(
  obj(
    {
      selector: labelSelector,
      template: podTemplate,
      updateStrategy: obj(
        {
          type: enumOf(['RollingUpdate', 'OnDelete']).default('RollingUpdate'),
          rollingUpdate: obj({ maxUnavailable: intOrPercent(), maxSurge: intOrPercent() }, { additional: keep }),
        },
        { additional: keep },
      ),
      minReadySeconds: int({ min: 0 }),
      revisionHistoryLimit: int({ min: 0 }).default(10),
    },
    { required: ['selector', 'template'], additional: keep },
  ),
  (spec, ctx) => {
    requireSelectedTemplate(spec, ctx);
    const strategy = spec.updateStrategy ?? { type: 'RollingUpdate' as const };
    if (strategy.type === 'RollingUpdate') {
      const ru = { maxUnavailable: 1, maxSurge: 0, ...strategy.rollingUpdate };
      requireSurgeOrUnavailable(ru, at(at(ctx, 'updateStrategy'), 'rollingUpdate'));
      return { ...spec, updateStrategy: { ...strategy, rollingUpdate: ru } };
    }
    return { ...spec, updateStrategy: strategy };
  },
);
