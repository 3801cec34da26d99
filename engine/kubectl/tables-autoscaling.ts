/**
 * `kubectl get hpa` and `kubectl get pdb`: kubectl's printers for autoscaling/v2
 * HorizontalPodAutoscaler and policy/v1 PodDisruptionBudget
 * (pkg/printers/internalversion/printers.go: printHorizontalPodAutoscaler with formatHPAMetrics,
 * printPodDisruptionBudget).
 */
import { formatQuantity } from '../api/quantity.js';
import type { PodDisruptionBudget } from '../api/types.js';
import { defaultMetrics } from '../controllers/hpa/reconcile.js';
import type { HorizontalPodAutoscaler, MetricSpec, MetricTarget } from '../controllers/hpa/types.js';
import { humanDuration } from './age.js';
import type { Printer } from './tables.js';

/** One status.currentMetrics entry (autoscaling/v2 MetricStatus), as the HPA controller writes it. */
interface MetricValueStatus {
  value?: string | number;
  averageValue?: string | number;
  averageUtilization?: number;
}
export interface MetricStatus {
  type?: string;
  resource?: { name: string; current: MetricValueStatus };
  containerResource?: { name: string; container: string; current: MetricValueStatus };
  pods?: { current: MetricValueStatus };
  object?: { current: MetricValueStatus };
  external?: { current: MetricValueStatus };
}

/** formatHPAMetrics: at most this many metrics are shown, then `+ N more...`. */
const HPA_METRICS_SHOWN = 2;

const UNKNOWN = '<unknown>';
/** Quantity.String() of a target or current value; a missing one prints as the zero Quantity. */
const q = (v: string | number | undefined) => (v === undefined ? '0' : formatQuantity(v));

/** The External and Object cases: `current/target (avg)` for an AverageValue target, else `current/target`. */
function valueOrAverage(target: MetricTarget, current: MetricValueStatus | undefined): string {
  if (target.averageValue !== undefined) {
    const now = current?.averageValue !== undefined ? q(current.averageValue) : UNKNOWN;
    return `${now}/${q(target.averageValue)} (avg)`;
  }
  return `${current ? q(current.value) : UNKNOWN}/${q(target.value)}`;
}

/** The Resource and ContainerResource cases: `name: current/target`, utilization in percent, `<auto>` without a target utilization. */
function resourceMetric(name: string, target: MetricTarget, current: MetricValueStatus | undefined): string {
  if (target.averageValue !== undefined) return `${name}: ${current ? q(current.averageValue) : UNKNOWN}/${q(target.averageValue)}`;
  const now = current?.averageUtilization !== undefined ? `${current.averageUtilization}%` : UNKNOWN;
  const goal = target.averageUtilization !== undefined ? `${target.averageUtilization}%` : '<auto>';
  return `${name}: ${now}/${goal}`;
}

/** formatHPAMetrics: each spec paired with the status at the same index, joined with ", ". */
export function formatHPAMetrics(specs: readonly MetricSpec[], statuses: readonly MetricStatus[]): string {
  if (specs.length === 0) return '<none>';
  const list = specs.map((spec, i) => {
    const status = statuses[i];
    switch (spec.type) {
      case 'External':
        return valueOrAverage(spec.external!.target, status?.external?.current);
      case 'Pods':
        return `${status?.pods ? q(status.pods.current.averageValue) : UNKNOWN}/${q(spec.pods!.target.averageValue)}`;
      case 'Object':
        return valueOrAverage(spec.object!.target, status?.object?.current);
      case 'Resource':
        return resourceMetric(spec.resource!.name, spec.resource!.target, status?.resource?.current);
      case 'ContainerResource':
        return resourceMetric(spec.containerResource!.name, spec.containerResource!.target, status?.containerResource?.current);
      default:
        return '<unknown type>';
    }
  });
  const shown = list.slice(0, HPA_METRICS_SHOWN).join(', ');
  return list.length > HPA_METRICS_SHOWN ? `${shown} + ${list.length - HPA_METRICS_SHOWN} more...` : shown;
}

/**
 * printHorizontalPodAutoscaler. The API server stores an autoscaling/v2 HPA with its defaults
 * (autoscaling/v2 defaults.go SetDefaults_HorizontalPodAutoscaler: minReplicas 1, a CPU
 * utilization metric of 80% when none is given); kubesim keeps the manifest as written, so the
 * table applies them, as reading the object from a real API server would show.
 */
export const horizontalPodAutoscalers: Printer<HorizontalPodAutoscaler> = {
  columns: ['REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE'],
  wide: [],
  row: (h, now) => [
    `${h.spec.scaleTargetRef.kind}/${h.spec.scaleTargetRef.name}`,
    formatHPAMetrics(defaultMetrics(h), (h.status?.currentMetrics as MetricStatus[] | undefined) ?? []),
    String(h.spec.minReplicas ?? 1),
    String(h.spec.maxReplicas),
    String(h.status?.currentReplicas ?? 0),
    humanDuration(now - (h.metadata.creationTimestamp ?? 0)),
  ],
  wideRow: () => [],
};

/** printPodDisruptionBudget: IntOrString.String() of the field set, N/A for the other. */
export const podDisruptionBudgets: Printer<PodDisruptionBudget> = {
  columns: ['MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE'],
  wide: [],
  row: (p, now) => [
    p.spec.minAvailable === undefined ? 'N/A' : String(p.spec.minAvailable),
    p.spec.maxUnavailable === undefined ? 'N/A' : String(p.spec.maxUnavailable),
    String(p.status?.disruptionsAllowed ?? 0),
    humanDuration(now - (p.metadata.creationTimestamp ?? 0)),
  ],
  wideRow: () => [],
};
