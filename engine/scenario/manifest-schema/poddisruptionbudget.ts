/**
 * PodDisruptionBudget spec (policy/v1), with pkg/apis/policy/validation
 * ValidatePodDisruptionBudgetSpec's rules: minAvailable and maxUnavailable are each a count or
 * a percentage of at most 100%, and at most one of them is set. A missing selector selects no
 * pods (policy/v1); matchExpressions alone are fine here, unlike a workload's selector.
 */
import { errors } from '../errors.js';
import { at, enumOf, obj, refine, type Ctx } from '../schema.js';
import { volumeSelector } from './selectors.js';
import { intOrPercent } from './workload.js';

const keep = 'keep' as const;

/** appsvalidation.IsNotMoreThan100Percent. */
function notMoreThan100Percent(value: number | string | undefined, ctx: Ctx): void {
  if (typeof value === 'string' && Number(value.slice(0, -1)) > 100) {
    throw errors.invalidValue(ctx.file, ctx.path, 'a percentage that must not be greater than 100%', value);
  }
}

export const podDisruptionBudgetSpec = refine(
  obj(
    {
      minAvailable: intOrPercent(),
      maxUnavailable: intOrPercent(),
      selector: volumeSelector,
      unhealthyPodEvictionPolicy: enumOf(['IfHealthyBudget', 'AlwaysAllow']),
    },
    { additional: keep },
  ),
  (spec, ctx) => {
    if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
      throw errors.invalidValue(ctx.file, ctx.path, 'only one of minAvailable and maxUnavailable (minAvailable and maxUnavailable cannot be both set)', 'both');
    }
    notMoreThan100Percent(spec.minAvailable, at(ctx, 'minAvailable'));
    notMoreThan100Percent(spec.maxUnavailable, at(ctx, 'maxUnavailable'));
    return spec;
  },
);
