/**
 * The spec of an autoscaling/v2 HorizontalPodAutoscaler in a scenario, with the apiserver's
 * validation of what the HPA controller reads (pkg/apis/autoscaling/validation/validation.go:
 * validateMetrics, validateMetricTarget, validateBehavior, minReplicas <= maxReplicas) and its
 * defaults (minReplicas 1). Fields kubesim does not read pass through. In runs the scale target
 * is a Deployment or ReplicaSet of the manifests (checked in engine/scenario/manifests.ts).
 */
import { parseQuantity } from '../../api/quantity.js';
import type { MetricSpec, MetricTarget } from '../../controllers/hpa/types.js';
import { errors } from '../errors.js';
import { labels } from '../formats.js';
import { any, arr, at, enumOf, int, obj, quantity, refine, str, union, type Ctx, type Schema } from '../schema.js';

const keep = 'keep' as const;

/** An object name, as a CrossVersionObjectReference carries it. */
const name = () => str({ minLength: 1, maxLength: 253, patternName: 'an object name' });

function positiveQuantity(value: string | number | undefined, ctx: Ctx, field: string): void {
  if (value !== undefined && !(parseQuantity(value) > 0)) {
    throw errors.invalidValue(ctx.file, at(ctx, field).path, 'a positive quantity', JSON.stringify(value));
  }
}

/**
 * MetricTarget of a source that allows the target types `allowed`: the field its type needs
 * must be set, quantities positive (validateMetricTarget and the per-source rules).
 */
const targetOf = (allowed: readonly MetricTarget['type'][]): Schema<MetricTarget> =>
  refine(
    obj(
      {
        type: enumOf(['Utilization', 'Value', 'AverageValue']),
        averageUtilization: int({ min: 1 }).describe('Percent of the pod CPU (or memory) request, for type Utilization.'),
        averageValue: quantity('text').describe('Average per pod, for type AverageValue.'),
        value: quantity('text').describe('Total, for type Value.'),
      },
      { required: ['type'], additional: keep },
    ),
    (t, ctx): MetricTarget => {
      if (!allowed.includes(t.type)) {
        throw errors.invalidValue(ctx.file, at(ctx, 'type').path, `one of ${allowed.join(', ')} for this metric source`, t.type);
      }
      const needed = t.type === 'Utilization' ? 'averageUtilization' : t.type === 'Value' ? 'value' : 'averageValue';
      if (t[needed] === undefined) throw errors.missingField(ctx.file, ctx.path, needed);
      positiveQuantity(t.averageValue, ctx, 'averageValue');
      positiveQuantity(t.value, ctx, 'value');
      return t;
    },
  );

const selector = obj({ matchLabels: labels(), matchExpressions: arr(any()) }, { additional: keep });
const metricIdentifier = obj({ name: str({ minLength: 1 }), selector }, { required: ['name'], additional: keep });

const RESOURCE_TARGETS = ['Utilization', 'AverageValue'] as const;
const source = <P extends Record<string, Schema<unknown>>>(props: P, required: (keyof P & string)[]) =>
  obj(props, { required, additional: keep });

const metricSpec = union(
  'type',
  {
    Resource: source(
      {
        type: enumOf(['Resource']),
        resource: source({ name: str({ minLength: 1 }).describe('cpu (kubesim serves cpu usage only).'), target: targetOf(RESOURCE_TARGETS) }, ['name', 'target']),
      },
      ['type', 'resource'],
    ),
    ContainerResource: source(
      {
        type: enumOf(['ContainerResource']),
        containerResource: source({ name: str({ minLength: 1 }), container: str({ minLength: 1 }), target: targetOf(RESOURCE_TARGETS) }, ['name', 'container', 'target']),
      },
      ['type', 'containerResource'],
    ),
    Pods: source(
      {
        type: enumOf(['Pods']),
        pods: source({ metric: metricIdentifier, target: targetOf(['AverageValue']) }, ['metric', 'target']),
      },
      ['type', 'pods'],
    ),
    Object: source(
      {
        type: enumOf(['Object']),
        object: source(
          {
            describedObject: obj({ apiVersion: str(), kind: str({ minLength: 1 }), name: name() }, { required: ['kind', 'name'], additional: keep }),
            metric: metricIdentifier,
            target: targetOf(['Value', 'AverageValue']),
          },
          ['describedObject', 'metric', 'target'],
        ),
      },
      ['type', 'object'],
    ),
    External: source(
      {
        type: enumOf(['External']),
        external: source({ metric: metricIdentifier, target: targetOf(['Value', 'AverageValue']) }, ['metric', 'target']),
      },
      ['type', 'external'],
    ),
  },
  'type one of Resource, ContainerResource, Pods, Object, External',
) as unknown as Schema<MetricSpec>;

/** HPAScalingRules (validateScalingRules): a window up to one hour, policies with periods up to 30 minutes. */
const scalingRules = refine(
  obj(
    {
      stabilizationWindowSeconds: int({ min: 0, max: 3600 }),
      selectPolicy: enumOf(['Max', 'Min', 'Disabled']),
      policies: arr(
        obj(
          { type: enumOf(['Pods', 'Percent']), value: int({ min: 1 }), periodSeconds: int({ min: 1, max: 1800 }) },
          { required: ['type', 'value', 'periodSeconds'], additional: keep },
        ),
        { minItems: 1 },
      ),
      tolerance: quantity('text').describe('Tolerance around a usage ratio of 1 for this direction (Kubernetes 1.33+), e.g. 0.05.'),
    },
    { additional: keep },
  ),
  (rules, ctx) => {
    if (rules.tolerance !== undefined && parseQuantity(rules.tolerance) < 0) {
      throw errors.invalidValue(ctx.file, at(ctx, 'tolerance').path, 'a quantity >= 0', JSON.stringify(rules.tolerance));
    }
    return rules;
  },
);

/** HorizontalPodAutoscalerSpec as kubesim reads it. */
export const hpaSpec = refine(
  obj(
    {
      scaleTargetRef: obj(
        {
          apiVersion: enumOf(['apps/v1']),
          kind: enumOf(['Deployment', 'ReplicaSet']).describe('The kind of the scale target (a Deployment or ReplicaSet in the manifests).'),
          name: name(),
        },
        { required: ['kind', 'name'], additional: keep },
      ),
      minReplicas: int({ min: 1 }).default(1),
      maxReplicas: int({ min: 1 }),
      metrics: arr(metricSpec).describe('Default: 80% average CPU utilization.'),
      behavior: obj({ scaleUp: scalingRules, scaleDown: scalingRules }, { additional: keep }),
    },
    { required: ['scaleTargetRef', 'maxReplicas'], additional: keep },
  ),
  (spec, ctx) => {
    if (spec.maxReplicas < spec.minReplicas) {
      throw errors.invalidValue(ctx.file, at(ctx, 'maxReplicas').path, `a value >= minReplicas (${spec.minReplicas})`, String(spec.maxReplicas));
    }
    return spec;
  },
);
