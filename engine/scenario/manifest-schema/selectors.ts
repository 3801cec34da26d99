/** LabelSelector and NodeSelector (k8s.io/apimachinery meta/v1 and core/v1). */
import { labels } from '../formats.js';
import { arr, enumOf, obj, str } from '../schema.js';

const keep = 'keep' as const;

const labelSelectorRequirement = obj(
  { key: str({ minLength: 1 }), operator: enumOf(['In', 'NotIn', 'Exists', 'DoesNotExist']), values: arr(str()) },
  { required: ['key', 'operator'], additional: keep },
);

/** The selector of a workload (Deployment, ReplicaSet, DaemonSet, StatefulSet). */
export const labelSelector = obj(
  {
    // The engine reads matchLabels; matchExpressions are checked for shape only.
    matchLabels: labels(),
    matchExpressions: arr(labelSelectorRequirement),
  },
  { required: ['matchLabels'], additional: keep },
);

/** A selector over volume labels (matchExpressions alone are fine here). */
export const volumeSelector = obj(
  {
    matchLabels: labels(),
    matchExpressions: arr(labelSelectorRequirement),
  },
  { additional: keep },
);

const nodeSelectorRequirement = obj(
  { key: str({ minLength: 1 }), operator: enumOf(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']), values: arr(str()) },
  { required: ['key', 'operator'], additional: keep },
);
export const nodeSelector = obj(
  {
    nodeSelectorTerms: arr(obj({ matchExpressions: arr(nodeSelectorRequirement), matchFields: arr(nodeSelectorRequirement) }, { additional: keep }), { minItems: 1 }),
  },
  { required: ['nodeSelectorTerms'], additional: keep },
);
