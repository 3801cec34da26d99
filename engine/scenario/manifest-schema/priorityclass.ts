/** PriorityClass (scheduling.k8s.io/v1): its fields sit at the top level, beside metadata. */
import { errors } from '../errors.js';
import { bool, enumOf, int, refine, str } from '../schema.js';
import { kindShape } from './metadata.js';

export const priorityClass = refine(
  kindShape('PriorityClass', {
    // HighestUserDefinablePriority (pkg/apis/scheduling): higher values are reserved for system classes.
    value: int({ min: -2147483648, max: 1000000000 }),
    globalDefault: bool(),
    preemptionPolicy: enumOf(['PreemptLowerPriority', 'Never']),
    description: str(),
  }),
  (pc, ctx) => {
    if (pc.value === undefined) throw errors.missingField(ctx.file, ctx.path, 'value');
    return pc;
  },
);
