/**
 * The HPA controller's metrics client inside a run (pkg/controller/podautoscaler/metrics/
 * client.go): turns metrics-server's PodMetrics into the per-pod values the replica
 * calculator takes, as getPodMetrics / getContainerMetrics do.
 *
 * - Resource `cpu`: the pod's value is the sum of its containers' MilliValue. kubesim counts a
 *   pod's serving CPU in its first container (the app) and 0 in the others, so a
 *   ContainerResource metric on a sidecar reads 0; a container the pod does not have leaves the
 *   pod without a metric, as upstream does.
 * - Pods `http_requests_per_second` (DEFAULTS.metrics.requestsPerSecondMetric): the pod's
 *   answered requests per second over the PodMetrics window, milli-units truncated as
 *   prometheus-adapter's NewMilliQuantity(int64(value*1000)) truncates them.
 * - Object and External metrics: those the scenario defines (`spec.metrics`), through the
 *   adapter model of scenario-metrics.ts (Prometheus' scrape lag, milli-units, selectors).
 * - Memory, other Pods metrics, and Object or External metrics the scenario does not define:
 *   the call fails as an absent adapter or series would and the HPA reports FailedGet*Metric.
 */
import type { Pod } from '../../api/types.js';
import type { MetricsServer } from '../../metrics/metrics-server.js';
import { MetricsApiError, type MetricsSource } from './reconcile.js';
import type { PodMetricsInfo } from './replica-calculator.js';
import { scenarioMetricsView, type ScenarioMetricsView } from './scenario-metrics.js';

/** Quantity.MilliValue of a nanocore quantity: rounded up. */
function nanoToMilli(nanocores: number): number {
  return Math.ceil(nanocores / 1e6);
}

export function runMetricsSource(
  metricsServer: MetricsServer,
  pods: readonly Pod[],
  requestsPerSecondMetric: string,
  adapter: ScenarioMetricsView = scenarioMetricsView(undefined, '', 0),
): MetricsSource {
  return {
    resource(resource, container) {
      if (resource !== 'cpu') throw new MetricsApiError(`no ${resource} usage in kubesim's metrics-server (it models cpu only)`);
      const info: PodMetricsInfo = new Map();
      let items = 0;
      for (const pod of pods) {
        const m = metricsServer.podMetrics(pod.metadata.namespace!, pod.metadata.name);
        if (!m) continue;
        items++;
        const containers = pod.spec.containers;
        let value: number;
        if (container === '') value = nanoToMilli(m.cpuNanocores);
        else {
          const i = containers.findIndex((c) => c.name === container);
          if (i < 0) continue;
          value = i === 0 ? nanoToMilli(m.cpuNanocores) : 0;
        }
        info.set(pod.metadata.name, { value, timestamp: m.timestamp, window: m.window });
      }
      if (items === 0) throw new MetricsApiError('no metrics returned from resource metrics API');
      return info;
    },
    pods(metric) {
      const info: PodMetricsInfo = new Map();
      if (metric.name === requestsPerSecondMetric) {
        for (const pod of pods) {
          const m = metricsServer.podMetrics(pod.metadata.namespace!, pod.metadata.name);
          if (m) info.set(pod.metadata.name, { value: Math.trunc(m.requestsPerSecond * 1000), timestamp: m.timestamp, window: m.window });
        }
      }
      if (info.size === 0) throw new MetricsApiError('no metrics returned from custom metrics API');
      return info;
    },
    object: (metric, described) => adapter.object(metric, described),
    external: (metric) => adapter.external(metric),
  };
}
