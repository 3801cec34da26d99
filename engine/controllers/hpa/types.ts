/**
 * autoscaling/v2 HorizontalPodAutoscaler shapes (k8s.io/api/autoscaling/v2/types.go), trimmed
 * to what the controller reads, and the inputs the pure HPA modules take. Times are seconds
 * (float64) on one clock: simulated seconds in a run, Unix seconds in `kubesim hpa`.
 * Metric values are milli-units (Quantity.MilliValue), as the controller computes with them.
 */
import type { LabelSelector, ObjectMeta, ResourceList } from '../../api/types.js';

export type MetricTargetType = 'Utilization' | 'Value' | 'AverageValue';

export interface MetricTarget {
  type: MetricTargetType;
  averageUtilization?: number;
  averageValue?: string | number;
  value?: string | number;
}

export interface MetricIdentifier {
  name: string;
  selector?: LabelSelector;
}

export interface CrossVersionObjectReference {
  apiVersion?: string;
  kind: string;
  name: string;
}

export type MetricSourceType = 'Resource' | 'ContainerResource' | 'Pods' | 'Object' | 'External';

export interface MetricSpec {
  type: MetricSourceType;
  resource?: { name: string; target: MetricTarget };
  containerResource?: { name: string; container: string; target: MetricTarget };
  pods?: { metric: MetricIdentifier; target: MetricTarget };
  object?: { describedObject: CrossVersionObjectReference; metric: MetricIdentifier; target: MetricTarget };
  external?: { metric: MetricIdentifier; target: MetricTarget };
}

export type ScalingPolicyType = 'Pods' | 'Percent';
export type ScalingPolicySelect = 'Max' | 'Min' | 'Disabled';

export interface HPAScalingPolicy {
  type: ScalingPolicyType;
  value: number;
  periodSeconds: number;
}

export interface HPAScalingRules {
  stabilizationWindowSeconds?: number;
  selectPolicy?: ScalingPolicySelect;
  policies?: HPAScalingPolicy[];
  /** autoscaling/v2 `tolerance` (HPAConfigurableTolerance, Kubernetes 1.33+): a quantity such as 0.05. */
  tolerance?: string | number;
}

export interface HorizontalPodAutoscalerBehavior {
  scaleUp?: HPAScalingRules;
  scaleDown?: HPAScalingRules;
}

export interface HorizontalPodAutoscalerSpec {
  scaleTargetRef: CrossVersionObjectReference;
  minReplicas?: number;
  maxReplicas: number;
  metrics?: MetricSpec[];
  behavior?: HorizontalPodAutoscalerBehavior;
}

export interface HorizontalPodAutoscalerCondition {
  type: 'AbleToScale' | 'ScalingActive' | 'ScalingLimited';
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

export interface HorizontalPodAutoscaler {
  apiVersion: 'autoscaling/v2';
  kind: 'HorizontalPodAutoscaler';
  metadata: ObjectMeta;
  spec: HorizontalPodAutoscalerSpec;
  status?: {
    currentReplicas?: number;
    desiredReplicas?: number;
    conditions?: HorizontalPodAutoscalerCondition[];
    [extra: string]: unknown;
  };
}

/** One pod as the replica calculator sees it (a Pod from the informer cache). */
export interface PodSample {
  name: string;
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  /** metadata.deletionTimestamp is set. */
  deleting: boolean;
  /** The Ready condition, if the pod has one. */
  ready?: { status: 'True' | 'False' | 'Unknown'; lastTransitionTime: number };
  startTime?: number;
  containers: { name: string; requests?: ResourceList }[];
  /** Init containers with restartPolicy Always (sidecars), which count toward requests. */
  sidecars?: { name: string; requests?: ResourceList }[];
  /** Pod-level spec.resources.requests (KEP-2837). */
  podRequests?: ResourceList;
}

/** One pod's metric sample (metricsclient.PodMetric). */
export interface PodMetric {
  /** Milli-units. */
  value: number;
  timestamp: number;
  /** Seconds the sample averages over (PodMetrics.window). */
  window: number;
}

/** The controller's tuning, named after the kube-controller-manager flags (DEFAULTS.hpa). */
export interface HpaControllerConfig {
  tolerance: number;
  cpuInitializationPeriod: number;
  initialReadinessDelay: number;
  downscaleStabilization: number;
}

export interface TimestampedRecommendation {
  replicas: number;
  timestamp: number;
}

export interface TimestampedScaleEvent {
  /** Absolute value of the change (upstream stores it non-negative). */
  replicaChange: number;
  timestamp: number;
  outdated?: boolean;
}

/**
 * What the controller remembers about one HPA between syncs (HorizontalController's
 * recommendations, scaleUpEvents and scaleDownEvents maps). `recommendations` undefined is
 * Go's nil slice: the next sync records the current size as the first recommendation.
 */
export interface HpaHistory {
  recommendations: TimestampedRecommendation[] | undefined;
  scaleUpEvents: TimestampedScaleEvent[];
  scaleDownEvents: TimestampedScaleEvent[];
}

/** The error a metric computation ends with (a Go `error` on the upstream code path). */
export class HpaMetricError extends Error {
  override name = 'HpaMetricError';
}
