/**
 * One HPA sync (horizontal.go reconcileAutoscaler), as a pure function of the HPA, its scale
 * target, its pods, the metrics APIs and the controller's memory. `kubesim hpa` runs exactly
 * one; the HPA controller of a run calls it every sync period and writes the result.
 *
 * Per metric (computeReplicasForMetric) a proposal; the largest wins (computeReplicasForMetrics,
 * where an invalid metric blocks a scale-down but not a scale-up); then stabilization, the
 * behavior policies or the legacy rate limit, and min/max (behavior.ts).
 */
import { setCondition, aboveTarget, ALL_METRICS_BELOW_TARGET, ABOVE_MAX_REPLICAS, BELOW_MIN_REPLICAS, successfulRescale, unableToCompute, type HpaEvent } from './conditions.js';
import {
  convertDesiredReplicasWithBehaviorRate,
  convertDesiredReplicasWithRules,
  defaultBehavior,
  recordInitialRecommendation,
  stabilizeRecommendation,
  stabilizeRecommendationWithBehaviors,
  storeScaleEvent,
} from './behavior.js';
import {
  calcPlainMetricReplicas,
  getExternalMetricReplicas,
  getExternalPerPodMetricReplicas,
  getObjectMetricReplicas,
  getObjectPerPodMetricReplicas,
  getResourceReplicas,
  milliValue,
  type CalculatorParams,
  type PodMetricsInfo,
  type Tolerances,
} from './replica-calculator.js';
import {
  HpaMetricError,
  type CrossVersionObjectReference,
  type HorizontalPodAutoscaler,
  type HorizontalPodAutoscalerCondition,
  type HpaControllerConfig,
  type HpaHistory,
  type MetricIdentifier,
  type MetricSpec,
  type MetricTarget,
  type PodSample,
} from './types.js';
import type { LabelSelector } from '../../api/types.js';

/** The metrics APIs (metrics.k8s.io, custom.metrics.k8s.io, external.metrics.k8s.io) for one HPA. Each throws HpaMetricError. */
export interface MetricsSource {
  /** PodMetrics of the selected pods: summed over containers, or of `container` only. */
  resource(resource: string, container: string): PodMetricsInfo;
  /** A Pods metric of the selected pods. */
  pods(metric: MetricIdentifier): PodMetricsInfo;
  /** An Object metric's value, milli-units. */
  object(metric: MetricIdentifier, describedObject: CrossVersionObjectReference): number;
  /** An External metric's series, milli-units. */
  external(metric: MetricIdentifier): number[];
}

export interface ScaleSubresource {
  /** spec.replicas of the target. */
  specReplicas: number;
  /** status.replicas of the target. */
  statusReplicas: number;
  /** The target's pod selector; undefined when it has none. */
  selector: LabelSelector | undefined;
}

export interface ReconcileInput {
  hpa: HorizontalPodAutoscaler;
  scale: ScaleSubresource;
  /** The pods the selector picks, in the HPA's namespace. */
  pods: readonly PodSample[];
  metrics: MetricsSource;
  /** The controller's memory of this HPA; updated in place. */
  history: HpaHistory;
  now: number;
  config: HpaControllerConfig;
  /** Skips the metric computation: this is the raw recommendation (`kubesim hpa --recommendation`). */
  recommendation?: number;
}

export interface MetricResult {
  type: MetricSpec['type'];
  name: string;
  currentAverageUtilization: number | null;
  currentAverageValueMilli: number | null;
  currentValueMilli: number | null;
  /** This metric's own proposal, before the maximum and normalization; null when it failed. */
  replicas: number | null;
  /** The upstream description (`cpu resource utilization (percentage of request)`), or the error. */
  description: string;
  error?: string;
}

export interface ReconcileResult {
  currentReplicas: number;
  metrics: MetricResult[];
  /** The raw recommendation (the maximum over metrics); null when no metric was computed. */
  recommendation: number | null;
  stabilizedRecommendation: number | null;
  desiredReplicas: number;
  limitReason: string | null;
  rescale: boolean;
  rescaleReason: string;
  conditions: HorizontalPodAutoscalerCondition[];
  events: HpaEvent[];
}

/** The tolerances of an HPA: the flag, or behavior.scale{Up,Down}.tolerance where set. */
export function tolerancesFor(hpa: HorizontalPodAutoscaler, tolerance: number): Tolerances {
  const t = { scaleDown: tolerance, scaleUp: tolerance };
  const b = hpa.spec.behavior;
  if (b?.scaleDown?.tolerance !== undefined) t.scaleDown = milliValue(b.scaleDown.tolerance) / 1000;
  if (b?.scaleUp?.tolerance !== undefined) t.scaleUp = milliValue(b.scaleUp.tolerance) / 1000;
  return t;
}

/** SetDefaults_HorizontalPodAutoscaler: minReplicas 1, and 80% CPU when no metric is given. */
export const DEFAULT_CPU_UTILIZATION = 80;
export function defaultMetrics(hpa: HorizontalPodAutoscaler): MetricSpec[] {
  const metrics = hpa.spec.metrics ?? [];
  if (metrics.length > 0) return metrics;
  return [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
}

/** Go's %+v of a *metav1.LabelSelector, as it appears in upstream metric names. */
function selectorText(s: LabelSelector | undefined): string {
  if (!s) return 'nil';
  const labels = Object.entries(s.matchLabels ?? {})
    .map(([k, v]) => `${k}: ${v},`)
    .join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{},}`;
}

function metricName(spec: MetricSpec): string {
  switch (spec.type) {
    case 'Resource':
      return spec.resource!.name;
    case 'ContainerResource':
      return spec.containerResource!.name;
    case 'Pods':
      return spec.pods!.metric.name;
    case 'Object':
      return spec.object!.metric.name;
    case 'External':
      return spec.external!.metric.name;
  }
}

function targetMilli(q: string | number | undefined): number | undefined {
  return q === undefined ? undefined : milliValue(q);
}

interface Proposal {
  replicas: number;
  description: string;
  current: Pick<MetricResult, 'currentAverageUtilization' | 'currentAverageValueMilli' | 'currentValueMilli'>;
}

const NONE = { currentAverageUtilization: null, currentAverageValueMilli: null, currentValueMilli: null };

/** Upstream's failure reason per source type (getUnableComputeReplicaCountCondition). */
const FAILED_REASON: Readonly<Record<MetricSpec['type'], string>> = {
  Resource: 'FailedGetResourceMetric',
  ContainerResource: 'FailedGetContainerResourceMetric',
  Pods: 'FailedGetPodsMetric',
  Object: 'FailedGetObjectMetric',
  External: 'FailedGetExternalMetric',
};

function computeResource(
  input: ReconcileInput,
  tolerances: Tolerances,
  params: CalculatorParams,
  resource: string,
  container: string,
  target: MetricTarget,
  containerSource: boolean,
): Proposal {
  const specReplicas = input.scale.specReplicas;
  const averageValue = targetMilli(target.averageValue);
  if (averageValue !== undefined) {
    let r;
    try {
      r = calcPlainMetricReplicas(input.metrics.resource(resource, container), specReplicas, averageValue, tolerances, input.pods, resource, params);
    } catch (e) {
      throw new HpaMetricError(`failed to get ${resource} usage: ${errorText(e, resource)}`);
    }
    return { replicas: r.replicas, description: `${resource} resource`, current: { ...NONE, currentAverageValueMilli: r.usage } };
  }
  if (target.averageUtilization === undefined) {
    throw new HpaMetricError('invalid resource metric source: neither an average utilization target nor an average value (usage) target was set');
  }
  let r;
  try {
    r = getResourceReplicas(specReplicas, target.averageUtilization, resource, tolerances, input.pods, input.metrics.resource(resource, container), container, params);
  } catch (e) {
    throw new HpaMetricError(`failed to get ${resource} utilization: ${errorText(e, resource)}`);
  }
  const description = containerSource
    ? `${resource} container resource utilization (percentage of request)`
    : `${resource} resource utilization (percentage of request)`;
  return { replicas: r.replicas, description, current: { ...NONE, currentAverageUtilization: r.utilization, currentAverageValueMilli: r.rawUtilization } };
}

/** Errors from the metrics API are wrapped as GetResourceReplicas wraps them. */
function errorText(e: unknown, resource: string): string {
  if (e instanceof MetricsApiError) return `unable to get metrics for resource ${resource}: ${e.message}`;
  return (e as Error).message;
}

/** An error of a metrics API call (as opposed to one of the calculation). */
export class MetricsApiError extends HpaMetricError {
  override name = 'MetricsApiError';
}

function computeMetric(input: ReconcileInput, spec: MetricSpec, tolerances: Tolerances, params: CalculatorParams): Proposal {
  const { specReplicas, statusReplicas } = input.scale;
  switch (spec.type) {
    case 'Resource':
      return computeResource(input, tolerances, params, spec.resource!.name, '', spec.resource!.target, false);
    case 'ContainerResource': {
      const c = spec.containerResource!;
      return computeResource(input, tolerances, params, c.name, c.container, c.target, true);
    }
    case 'Pods': {
      const p = spec.pods!;
      const target = targetMilli(p.target.averageValue) ?? 0;
      let metrics: PodMetricsInfo;
      try {
        metrics = input.metrics.pods(p.metric);
      } catch (e) {
        throw new HpaMetricError(`unable to get metric ${p.metric.name}: ${(e as Error).message}`);
      }
      const r = calcPlainMetricReplicas(metrics, specReplicas, target, tolerances, input.pods, '', params);
      return { replicas: r.replicas, description: `pods metric ${p.metric.name}`, current: { ...NONE, currentAverageValueMilli: r.usage } };
    }
    case 'Object': {
      const o = spec.object!;
      const value = targetMilli(o.target.value);
      const averageValue = targetMilli(o.target.averageValue);
      if (o.target.type === 'Value' && value !== undefined) {
        const usage = objectValue(input, o.metric, o.describedObject);
        const r = getObjectMetricReplicas(specReplicas, value, usage, tolerances, input.pods);
        return { replicas: r.replicas, description: `${o.describedObject.kind} metric ${o.metric.name}`, current: { ...NONE, currentValueMilli: r.usage } };
      }
      if (o.target.type === 'AverageValue' && averageValue !== undefined) {
        const usage = objectValue(input, o.metric, o.describedObject);
        const r = getObjectPerPodMetricReplicas(statusReplicas, averageValue, usage, tolerances);
        // Upstream names this proposal "external metric" too (horizontal.go computeStatusForObjectMetric).
        return { replicas: r.replicas, description: `external metric ${o.metric.name}(${selectorText(o.metric.selector)})`, current: { ...NONE, currentAverageValueMilli: r.usage } };
      }
      throw new HpaMetricError('invalid object metric source: neither a value target nor an average value target was set');
    }
    case 'External': {
      const x = spec.external!;
      const description = `external metric ${x.metric.name}(${selectorText(x.metric.selector)})`;
      const averageValue = targetMilli(x.target.averageValue);
      const value = targetMilli(x.target.value);
      if (averageValue !== undefined) {
        const r = getExternalPerPodMetricReplicas(statusReplicas, averageValue, externalValues(input, x.metric), tolerances);
        return { replicas: r.replicas, description, current: { ...NONE, currentAverageValueMilli: r.usage } };
      }
      if (value !== undefined) {
        const r = getExternalMetricReplicas(specReplicas, value, externalValues(input, x.metric), tolerances, input.pods);
        return { replicas: r.replicas, description, current: { ...NONE, currentValueMilli: r.usage } };
      }
      throw new HpaMetricError('invalid external metric source: neither a value target nor an average value target was set');
    }
  }
}

function objectValue(input: ReconcileInput, metric: MetricIdentifier, ref: CrossVersionObjectReference): number {
  try {
    return input.metrics.object(metric, ref);
  } catch (e) {
    const ns = input.hpa.metadata.namespace ?? 'default';
    throw new HpaMetricError(`unable to get metric ${metric.name}: ${ref.kind} on ${ns} ${ref.name}/${(e as Error).message}`);
  }
}

function externalValues(input: ReconcileInput, metric: MetricIdentifier): number[] {
  try {
    return input.metrics.external(metric);
  } catch (e) {
    const ns = input.hpa.metadata.namespace ?? 'default';
    throw new HpaMetricError(`unable to get external metric ${ns}/${metric.name}/${selectorText(metric.selector)}: ${(e as Error).message}`);
  }
}

/** One sync of one HPA. */
export function reconcile(input: ReconcileInput): ReconcileResult {
  const { hpa, history, now } = input;
  const conditions: HorizontalPodAutoscalerCondition[] = structuredClone(hpa.status?.conditions ?? []);
  const events: HpaEvent[] = [];
  const result: ReconcileResult = {
    currentReplicas: input.scale.specReplicas,
    metrics: [],
    recommendation: null,
    stabilizedRecommendation: null,
    desiredReplicas: input.scale.specReplicas,
    limitReason: null,
    rescale: false,
    rescaleReason: '',
    conditions,
    events,
  };
  setCondition(conditions, 'AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale");
  const currentReplicas = input.scale.specReplicas;
  recordInitialRecommendation(history, currentReplicas, now);
  const minReplicas = hpa.spec.minReplicas ?? 1;
  const maxReplicas = hpa.spec.maxReplicas;

  let desiredReplicas = 0;
  let rescale = true;
  if (currentReplicas === 0 && minReplicas !== 0) {
    rescale = false;
    setCondition(conditions, 'ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero');
  } else if (currentReplicas > maxReplicas) {
    result.rescaleReason = ABOVE_MAX_REPLICAS;
    desiredReplicas = maxReplicas;
    result.limitReason = 'TooManyReplicas';
  } else if (currentReplicas < minReplicas) {
    result.rescaleReason = BELOW_MIN_REPLICAS;
    desiredReplicas = minReplicas;
    result.limitReason = 'TooFewReplicas';
  } else {
    const computed = input.recommendation !== undefined ? { replicas: input.recommendation, metric: 'the given recommendation' } : computeReplicasForMetrics(input, result, conditions, events);
    if (!computed) {
      // Every metric failed (or one failed and the rest would scale down): no change.
      result.desiredReplicas = currentReplicas;
      return result;
    }
    result.recommendation = computed.replicas;
    let rescaleMetric = '';
    if (computed.replicas > desiredReplicas) {
      desiredReplicas = computed.replicas;
      rescaleMetric = computed.metric;
    }
    if (desiredReplicas > currentReplicas) result.rescaleReason = aboveTarget(rescaleMetric);
    if (desiredReplicas < currentReplicas) result.rescaleReason = ALL_METRICS_BELOW_TARGET;
    desiredReplicas = normalize(input, conditions, result, currentReplicas, desiredReplicas, minReplicas, maxReplicas);
    rescale = desiredReplicas !== currentReplicas;
  }

  if (rescale) {
    setCondition(conditions, 'AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desiredReplicas}`);
    events.push(successfulRescale(desiredReplicas, result.rescaleReason));
    // The scale event is stored by the caller once the scale update succeeded (recordRescale).
  } else {
    desiredReplicas = currentReplicas;
  }
  result.rescale = rescale;
  result.desiredReplicas = desiredReplicas;
  return result;
}

function normalize(
  input: ReconcileInput,
  conditions: HorizontalPodAutoscalerCondition[],
  result: ReconcileResult,
  currentReplicas: number,
  prenormalized: number,
  minReplicas: number,
  maxReplicas: number,
): number {
  const { hpa, history, now, config } = input;
  let stabilized: number;
  let limited;
  if (!hpa.spec.behavior) {
    // normalizeDesiredReplicas
    stabilized = stabilizeRecommendation(history, prenormalized, config.downscaleStabilization, now);
    if (stabilized !== prenormalized) {
      setCondition(conditions, 'AbleToScale', 'True', 'ScaleDownStabilized', 'recent recommendations were higher than current one, applying the highest recent recommendation');
    } else {
      setCondition(conditions, 'AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');
    }
    limited = convertDesiredReplicasWithRules(currentReplicas, stabilized, minReplicas, maxReplicas);
  } else {
    // normalizeDesiredReplicasWithBehaviors
    const rules = defaultBehavior(hpa.spec.behavior, config.downscaleStabilization);
    const s = stabilizeRecommendationWithBehaviors(history, currentReplicas, prenormalized, rules.scaleUp, rules.scaleDown, now);
    stabilized = s.replicas;
    if (stabilized !== prenormalized) setCondition(conditions, 'AbleToScale', 'True', s.reason, s.message);
    else setCondition(conditions, 'AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');
    limited = convertDesiredReplicasWithBehaviorRate(history, currentReplicas, stabilized, minReplicas, maxReplicas, rules.scaleUp, rules.scaleDown, now);
  }
  setCondition(conditions, 'ScalingLimited', limited.replicas === stabilized ? 'False' : 'True', limited.reason, limited.message);
  result.stabilizedRecommendation = stabilized;
  result.limitReason = limited.reason;
  return limited.replicas;
}

/** computeReplicasForMetrics: the maximum proposal, or undefined when the HPA cannot act. */
function computeReplicasForMetrics(
  input: ReconcileInput,
  result: ReconcileResult,
  conditions: HorizontalPodAutoscalerCondition[],
  events: HpaEvent[],
): { replicas: number; metric: string } | undefined {
  const specs = defaultMetrics(input.hpa);
  if (!input.scale.selector) {
    events.push({ type: 'Warning', reason: 'SelectorRequired', message: 'selector is required' });
    setCondition(conditions, 'ScalingActive', 'False', 'InvalidSelector', "the HPA target's scale is missing a selector");
    return undefined;
  }
  const tolerances = tolerancesFor(input.hpa, input.config.tolerance);
  const params: CalculatorParams = {
    now: input.now,
    cpuInitializationPeriod: input.config.cpuInitializationPeriod,
    initialReadinessDelay: input.config.initialReadinessDelay,
  };
  let replicas = 0;
  let metric = '';
  let invalid = 0;
  let firstInvalid: { reason: string; message: string; error: string } | undefined;
  for (const spec of specs) {
    const name = metricName(spec);
    try {
      const p = computeMetric(input, spec, tolerances, params);
      result.metrics.push({ type: spec.type, name, ...p.current, replicas: p.replicas, description: p.description });
      if (replicas === 0 || p.replicas > replicas) {
        replicas = p.replicas;
        metric = p.description;
      }
    } catch (e) {
      if (!(e instanceof HpaMetricError)) throw e;
      const reason = FAILED_REASON[spec.type];
      events.push({ type: 'Warning', reason, message: e.message });
      firstInvalid ??= { reason, message: unableToCompute(e.message), error: e.message };
      invalid++;
      result.metrics.push({ type: spec.type, name, ...NONE, replicas: null, description: e.message, error: e.message });
    }
  }
  if (invalid >= specs.length || (invalid > 0 && replicas < input.scale.specReplicas)) {
    setCondition(conditions, 'ScalingActive', 'False', firstInvalid!.reason, firstInvalid!.message);
    events.push({
      type: 'Warning',
      reason: 'FailedComputeMetricsReplicas',
      message: `invalid metrics (${invalid} invalid out of ${specs.length}), first error is: ${firstInvalid!.error}`,
    });
    return undefined;
  }
  setCondition(conditions, 'ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${metric}`);
  return { replicas, metric };
}

/**
 * storeScaleEvent as reconcileAutoscaler calls it: only once the scale update returned without
 * error (a failed update leaves no scale event, so it does not count against the behavior's
 * policies). Stamped with the sync's time: upstream stamps it after the update, but queues the
 * HPA's next sync a resync period after the whole reconcile (update included) finished, while
 * kubesim's syncs are a fixed period apart from their start; stamping at the answer would put
 * the event inside the next sync's policy window, which upstream's never is.
 */
export function recordRescale(hpa: HorizontalPodAutoscaler, history: HpaHistory, config: HpaControllerConfig, prevReplicas: number, newReplicas: number, now: number): void {
  if (hpa.spec.behavior) storeScaleEvent(history, defaultBehavior(hpa.spec.behavior, config.downscaleStabilization), prevReplicas, newReplicas, now);
}
