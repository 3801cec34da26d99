/**
 * HorizontalPodAutoscaler rows of timeseries.csv, read from each HPA's status at the sample
 * instant (what `kubectl get hpa` shows): current_replicas, desired_replicas, and the current
 * value of each metric. Nothing is written for an HPA before its first sync.
 *
 * Metric names: `<resource>_utilization_percent` and `cpu_average_millicores` (or
 * `<resource>_average_value`) for Resource metrics (prefixed `<container>_` for
 * ContainerResource), `<metric>_average` for Pods metrics and AverageValue targets, and
 * `<metric>_value` for Value targets; names lowercased with other characters as `_`.
 */
import { parseQuantity } from '../api/quantity.js';
import type { ApiServer } from '../api/store.js';
import type { Observer } from './observer.js';

interface Current {
  averageUtilization?: number;
  averageValue?: string;
  value?: string;
}

interface MetricStatus {
  type?: string;
  resource?: { name: string; current: Current };
  containerResource?: { name: string; container: string; current: Current };
  pods?: { metric: { name: string }; current: Current };
  object?: { metric: { name: string }; current: Current };
  external?: { metric: { name: string }; current: Current };
}

function metricName(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

export function sampleHorizontalPodAutoscalers(api: ApiServer, time: number, observer: Observer): void {
  for (const hpa of api.list('HorizontalPodAutoscaler')) {
    const status = hpa.status;
    if (status?.currentReplicas === undefined) continue;
    const emit = (metric: string, value: number) => observer.sample(time, 'HorizontalPodAutoscaler', hpa.metadata.namespace!, hpa.metadata.name, metric, value);
    emit('current_replicas', status.currentReplicas);
    if (status.desiredReplicas !== undefined) emit('desired_replicas', status.desiredReplicas);
    for (const m of (status.currentMetrics ?? []) as MetricStatus[]) {
      const resource = m.resource ?? m.containerResource;
      if (resource) {
        const prefix = metricName(m.containerResource ? `${m.containerResource.container}_${resource.name}` : resource.name);
        const c = resource.current;
        if (c.averageUtilization !== undefined) emit(`${prefix}_utilization_percent`, c.averageUtilization);
        if (c.averageValue !== undefined) {
          const v = parseQuantity(c.averageValue);
          if (resource.name === 'cpu') emit(`${prefix}_average_millicores`, v * 1000);
          else emit(`${prefix}_average_value`, v);
        }
        continue;
      }
      const named = m.pods ?? m.object ?? m.external;
      if (!named) continue;
      const prefix = metricName(named.metric.name);
      if (named.current.averageValue !== undefined) emit(`${prefix}_average`, parseQuantity(named.current.averageValue));
      if (named.current.value !== undefined) emit(`${prefix}_value`, parseQuantity(named.current.value));
    }
  }
}
