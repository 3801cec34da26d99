/**
 * The HPA replica calculator, as pkg/controller/podautoscaler/replica_calculator.go and
 * metrics/utilization.go compute it: the ratio of current to target usage, a tolerance band
 * around 1, and the treatment of pods that cannot be trusted:
 *
 * - pods being deleted or Failed are ignored altogether;
 * - Pending pods, and for CPU pods still warming up (within --horizontal-pod-autoscaler-cpu-
 *   initialization-period with an unready condition or a sample taken too soon after the last
 *   readiness change, or never ready within --horizontal-pod-autoscaler-initial-readiness-delay
 *   of start), are "unready": left out, then counted at 0% usage on a scale-up;
 * - pods without a metric are "missing": counted at 100% of request (or the target, for
 *   plain metrics) on a scale-down and at 0% on a scale-up;
 * - after that re-weighting, a result within tolerance, or one that flips the scale direction,
 *   keeps the current replica count.
 *
 * Integer arithmetic follows upstream: utilization is int32(total*100/requests) (truncating),
 * averages are int64 divisions, replica counts are ceilings.
 */
import { parseCpuMilli } from '../../api/quantity.js';
import type { ResourceList } from '../../api/types.js';
import { HpaMetricError, type PodMetric, type PodSample } from './types.js';

const MAX_INT32 = 2147483647;
const MAX_INT64 = Number.MAX_SAFE_INTEGER;

/** Scale-up and scale-down tolerances (replica_calculator.go Tolerances). */
export interface Tolerances {
  scaleDown: number;
  scaleUp: number;
}

/** Tolerances.isWithin: (1 - down) <= ratio <= (1 + up). */
export function isWithin(t: Tolerances, usageRatio: number): boolean {
  return 1.0 - t.scaleDown <= usageRatio && usageRatio <= 1.0 + t.scaleUp;
}

/** Pod metrics by pod name (metricsclient.PodMetricsInfo). */
export type PodMetricsInfo = Map<string, PodMetric>;

export interface CalculatorParams {
  now: number;
  cpuInitializationPeriod: number;
  initialReadinessDelay: number;
}

export interface PodGroups {
  readyPodCount: number;
  unreadyPods: Set<string>;
  missingPods: Set<string>;
  ignoredPods: Set<string>;
}

/** groupPods: sorts pods into ready (counted), unready, missing-metric and ignored. */
export function groupPods(pods: readonly PodSample[], metrics: PodMetricsInfo, resource: string, p: CalculatorParams): PodGroups {
  const g: PodGroups = { readyPodCount: 0, unreadyPods: new Set(), missingPods: new Set(), ignoredPods: new Set() };
  for (const pod of pods) {
    if (pod.deleting || pod.phase === 'Failed') {
      g.ignoredPods.add(pod.name);
      continue;
    }
    if (pod.phase === 'Pending') {
      g.unreadyPods.add(pod.name);
      continue;
    }
    const metric = metrics.get(pod.name);
    if (!metric) {
      g.missingPods.add(pod.name);
      continue;
    }
    if (resource === 'cpu') {
      let unready: boolean;
      const condition = pod.ready;
      if (!condition || pod.startTime === undefined) {
        unready = true;
      } else if (pod.startTime + p.cpuInitializationPeriod > p.now) {
        // Within the initialization period: ignore the sample if the pod is unready, or if a
        // whole metric window has not passed since its last readiness transition.
        unready = condition.status === 'False' || metric.timestamp < condition.lastTransitionTime + metric.window;
      } else {
        // Afterwards: ignore it only if the pod is unready and has never been ready.
        unready = condition.status === 'False' && pod.startTime + p.initialReadinessDelay > condition.lastTransitionTime;
      }
      if (unready) {
        g.unreadyPods.add(pod.name);
        continue;
      }
    }
    g.readyPodCount++;
  }
  return g;
}

export function removeMetricsForPods(metrics: PodMetricsInfo, pods: ReadonlySet<string>): void {
  for (const name of pods) metrics.delete(name);
}

/** Quantity.MilliValue (rounds up, as quantity.go does). */
export function milliValue(q: string | number): number {
  return parseCpuMilli(q);
}

function requestOf(list: ResourceList | undefined, resource: string): number | undefined {
  const q = list?.[resource];
  return q === undefined ? undefined : milliValue(q);
}

/**
 * calculateRequests: per pod, the request of `container` if named; else the pod-level request
 * when set (KEP-2837, PodLevelResources), else the sum over containers and sidecars.
 */
export function calculateRequests(pods: readonly PodSample[], container: string, resource: string): Map<string, number> {
  const requests = new Map<string, number>();
  for (const pod of pods) {
    const podLevel = container === '' ? requestOf(pod.podRequests, resource) : undefined;
    if (podLevel !== undefined) {
      requests.set(pod.name, podLevel);
      continue;
    }
    let request = 0;
    let found = false;
    for (const c of [...pod.containers, ...(pod.sidecars ?? [])]) {
      if (container === '' || container === c.name) {
        const r = requestOf(c.requests, resource);
        if (r === undefined) throw new HpaMetricError(`missing request for ${resource} in container ${c.name} of Pod ${pod.name}`);
        request += r;
      }
      if (container === c.name) {
        found = true;
        break;
      }
    }
    if (container !== '' && !found) throw new HpaMetricError(`container ${container} not found in Pod ${pod.name}`);
    requests.set(pod.name, request);
  }
  return requests;
}

export interface UtilizationRatio {
  usageRatio: number;
  utilization: number;
  rawAverageValue: number;
}

/** metrics.GetResourceUtilizationRatio: metrics without a matching request are extraneous. */
export function getResourceUtilizationRatio(metrics: PodMetricsInfo, requests: Map<string, number>, targetUtilization: number): UtilizationRatio {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let numEntries = 0;
  for (const [name, metric] of metrics) {
    const request = requests.get(name);
    if (request === undefined) continue;
    metricsTotal += metric.value;
    requestsTotal += request;
    numEntries++;
  }
  if (requestsTotal === 0) throw new HpaMetricError('no metrics returned matched known pods');
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return { usageRatio: utilization / targetUtilization, utilization, rawAverageValue: Math.trunc(metricsTotal / numEntries) };
}

/** metrics.GetMetricUsageRatio: the int64 average over every metric, over the target. */
export function getMetricUsageRatio(metrics: PodMetricsInfo, targetUsage: number): { usageRatio: number; usage: number } {
  let total = 0;
  for (const m of metrics.values()) total += m.value;
  const usage = Math.trunc(total / metrics.size);
  return { usageRatio: usage / targetUsage, usage };
}

function podsOrFail(pods: readonly PodSample[]): void {
  if (pods.length === 0) throw new HpaMetricError('no pods returned by selector while calculating replica count');
}

/**
 * The opening both GetResourceReplicas and calcPlainMetricReplicas share upstream: group the
 * pods, drop the metrics of ignored and unready pods (on a copy), and fail when none is left.
 */
function countedMetrics(pods: readonly PodSample[], podMetrics: PodMetricsInfo, resource: string, p: CalculatorParams): PodGroups & { metrics: PodMetricsInfo } {
  const metrics = new Map(podMetrics);
  podsOrFail(pods);
  const groups = groupPods(pods, metrics, resource, p);
  removeMetricsForPods(metrics, groups.ignoredPods);
  removeMetricsForPods(metrics, groups.unreadyPods);
  if (metrics.size === 0) throw new HpaMetricError('did not receive metrics for targeted pods (pods might be unready)');
  return { ...groups, metrics };
}

export interface ResourceReplicas {
  replicas: number;
  utilization: number;
  rawUtilization: number;
}

/** GetResourceReplicas: a target utilization (percent of request) of `resource`. */
export function getResourceReplicas(
  currentReplicas: number,
  targetUtilization: number,
  resource: string,
  tolerances: Tolerances,
  pods: readonly PodSample[],
  podMetrics: PodMetricsInfo,
  container: string,
  p: CalculatorParams,
): ResourceReplicas {
  const { metrics, readyPodCount, unreadyPods, missingPods } = countedMetrics(pods, podMetrics, resource, p);
  const requests = calculateRequests(pods, container, resource);
  const { usageRatio, utilization, rawAverageValue: rawUtilization } = getResourceUtilizationRatio(metrics, requests, targetUtilization);
  const keep = { replicas: currentReplicas, utilization, rawUtilization };

  const scaleUpWithUnready = unreadyPods.size > 0 && usageRatio > 1.0;
  if (!scaleUpWithUnready && missingPods.size === 0) {
    if (isWithin(tolerances, usageRatio)) return keep;
    return { replicas: Math.ceil(usageRatio * readyPodCount), utilization, rawUtilization };
  }
  if (missingPods.size > 0) {
    if (usageRatio < 1.0) {
      // Scale-down: missing pods use 100% of their request, or the target when it is above 100%.
      const fallbackUtilization = Math.max(100, targetUtilization);
      for (const name of missingPods) metrics.set(name, { value: Math.trunc((requests.get(name)! * fallbackUtilization) / 100), timestamp: 0, window: 0 });
    } else if (usageRatio > 1.0) {
      for (const name of missingPods) metrics.set(name, { value: 0, timestamp: 0, window: 0 });
    }
  }
  if (scaleUpWithUnready) {
    for (const name of unreadyPods) metrics.set(name, { value: 0, timestamp: 0, window: 0 });
  }
  const newUsageRatio = getResourceUtilizationRatio(metrics, requests, targetUtilization).usageRatio;
  // The re-check: within tolerance, or a flip of direction, keeps the current size.
  if (isWithin(tolerances, newUsageRatio) || (usageRatio < 1.0 && newUsageRatio > 1.0) || (usageRatio > 1.0 && newUsageRatio < 1.0)) return keep;
  const newReplicas = Math.ceil(newUsageRatio * metrics.size);
  if ((newUsageRatio < 1.0 && newReplicas > currentReplicas) || (newUsageRatio > 1.0 && newReplicas < currentReplicas)) return keep;
  return { replicas: newReplicas, utilization, rawUtilization };
}

export interface PlainReplicas {
  replicas: number;
  /** The current value the status reports, milli-units. */
  usage: number;
}

/**
 * calcPlainMetricReplicas: an average-value target over pods (GetRawResourceReplicas with
 * `resource` set, GetMetricReplicas for Pods metrics with `resource` '').
 */
export function calcPlainMetricReplicas(
  podMetrics: PodMetricsInfo,
  currentReplicas: number,
  targetUsage: number,
  tolerances: Tolerances,
  pods: readonly PodSample[],
  resource: string,
  p: CalculatorParams,
): PlainReplicas {
  const { metrics, readyPodCount, unreadyPods, missingPods } = countedMetrics(pods, podMetrics, resource, p);
  const { usageRatio, usage } = getMetricUsageRatio(metrics, targetUsage);
  const keep = { replicas: currentReplicas, usage };

  const scaleUpWithUnready = unreadyPods.size > 0 && usageRatio > 1.0;
  if (!scaleUpWithUnready && missingPods.size === 0) {
    if (isWithin(tolerances, usageRatio)) return keep;
    return { replicas: Math.ceil(usageRatio * readyPodCount), usage };
  }
  if (missingPods.size > 0) {
    if (usageRatio < 1.0) {
      for (const name of missingPods) metrics.set(name, { value: targetUsage, timestamp: 0, window: 0 });
    } else if (usageRatio > 1.0) {
      for (const name of missingPods) metrics.set(name, { value: 0, timestamp: 0, window: 0 });
    }
  }
  if (scaleUpWithUnready) {
    for (const name of unreadyPods) metrics.set(name, { value: 0, timestamp: 0, window: 0 });
  }
  const newUsageRatio = getMetricUsageRatio(metrics, targetUsage).usageRatio;
  if (isWithin(tolerances, newUsageRatio) || (usageRatio < 1.0 && newUsageRatio > 1.0) || (usageRatio > 1.0 && newUsageRatio < 1.0)) return keep;
  const newReplicas = Math.ceil(newUsageRatio * metrics.size);
  if ((newUsageRatio < 1.0 && newReplicas > currentReplicas) || (newUsageRatio > 1.0 && newReplicas < currentReplicas)) return keep;
  return { replicas: newReplicas, usage };
}

/** getReadyPodsCount: Running pods whose Ready condition is True. */
export function getReadyPodsCount(pods: readonly PodSample[]): number {
  podsOrFail(pods);
  return pods.filter((pod) => pod.phase === 'Running' && pod.ready?.status === 'True').length;
}

/**
 * getUsageRatioReplicaCount: for Object and External Value targets. From zero replicas the
 * ratio alone decides (scale from zero), without tolerance.
 */
export function getUsageRatioReplicaCount(currentReplicas: number, usageRatio: number, tolerances: Tolerances, pods: readonly PodSample[]): number {
  if (currentReplicas === 0) return Math.ceil(usageRatio);
  if (isWithin(tolerances, usageRatio)) return currentReplicas;
  let readyPodCount: number;
  try {
    readyPodCount = getReadyPodsCount(pods);
  } catch (e) {
    throw new HpaMetricError(`unable to calculate ready pods: ${(e as Error).message}`);
  }
  const replicas = usageRatio * readyPodCount;
  return replicas > MAX_INT32 ? MAX_INT32 : Math.ceil(replicas);
}

/** GetObjectMetricReplicas: a Value target on one object's metric. */
export function getObjectMetricReplicas(currentReplicas: number, targetUsage: number, usage: number, tolerances: Tolerances, pods: readonly PodSample[]): PlainReplicas {
  return { replicas: getUsageRatioReplicaCount(currentReplicas, usage / targetUsage, tolerances, pods), usage };
}

/** GetObjectPerPodMetricReplicas: an AverageValue target on one object's metric, per status.replicas. */
export function getObjectPerPodMetricReplicas(statusReplicas: number, targetAverageUsage: number, usage: number, tolerances: Tolerances): PlainReplicas {
  let replicas = statusReplicas;
  const usageRatio = usage / (targetAverageUsage * statusReplicas);
  if (!isWithin(tolerances, usageRatio)) replicas = Math.ceil(usage / targetAverageUsage);
  return { replicas, usage: Math.ceil(usage / statusReplicas) };
}

/** The sum of an external metric's series, capped as upstream caps an int64 overflow. */
export function sumExternal(values: readonly number[]): number {
  let usage = 0;
  for (const v of values) {
    if (v > 0 && usage > MAX_INT64 - v) return MAX_INT64;
    usage += v;
  }
  return usage;
}

/** GetExternalMetricReplicas: a Value target on the sum of an external metric's series. */
export function getExternalMetricReplicas(currentReplicas: number, targetUsage: number, values: readonly number[], tolerances: Tolerances, pods: readonly PodSample[]): PlainReplicas {
  const usage = sumExternal(values);
  return { replicas: getUsageRatioReplicaCount(currentReplicas, usage / targetUsage, tolerances, pods), usage };
}

/** GetExternalPerPodMetricReplicas: an AverageValue target on an external metric, per status.replicas. */
export function getExternalPerPodMetricReplicas(statusReplicas: number, targetUsagePerPod: number, values: readonly number[], tolerances: Tolerances): PlainReplicas {
  const usage = sumExternal(values);
  let replicas = statusReplicas;
  const usageRatio = usage / (targetUsagePerPod * statusReplicas);
  if (!isWithin(tolerances, usageRatio)) {
    const r = Math.ceil(usage / targetUsagePerPod);
    replicas = r > MAX_INT32 ? MAX_INT32 : r;
  }
  return { replicas, usage: usage >= MAX_INT64 ? MAX_INT64 : Math.ceil(usage / statusReplicas) };
}
