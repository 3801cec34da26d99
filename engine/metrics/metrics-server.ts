/**
 * metrics-server: every --metric-resolution it scrapes every kubelet's resource metrics and
 * keeps, per pod, the last two samples; the Metrics API (metrics.k8s.io PodMetrics) answers
 * with the rate between them: usage = (last - prev) cumulative CPU / (last - prev) time, with
 * `timestamp` = the last sample's time and `window` = the time between the two samples. So the
 * HPA sees a rate over a window that ended up to one housekeeping interval before the scrape,
 * which itself happened up to one resolution before the HPA asked.
 *
 * Store and GetMetrics follow sigs.k8s.io/metrics-server pkg/storage/pod.go and types.go
 * (resourceUsage): a sample replaces `last` and moves it to `prev` only when it is newer; a
 * container that started within [10 s, resolution) of its first sample gets a synthetic
 * `prev` at its start time with zero usage, so fresh pods report after one scrape; a pod
 * without both samples has no PodMetrics. kubesim runs one container's worth of counters
 * per pod (the app), so the points are per pod.
 *
 * The per-pod request rate (the Pods metric `http_requests_per_second`) goes through the same
 * samples and windows. In a real cluster it would come from the app's /metrics through
 * Prometheus and prometheus-adapter, with their own scrape interval and rate window; kubesim
 * gives it the resource pipeline's lag instead.
 */
import type { Simulation } from '../core/simulation.js';
import type { CAdvisor, MetricsPoint } from './cadvisor.js';

/** metrics-server's freshContainerMinMetricsResolution. */
export const FRESH_CONTAINER_MIN_METRICS_RESOLUTION = 10;

/** One pod's PodMetrics (metrics.k8s.io/v1beta1), trimmed to what kubesim serves. */
export interface PodMetrics {
  namespace: string;
  name: string;
  timestamp: number;
  window: number;
  /** CPU usage in nanocores: uint64(cpuUsage), as resourceUsage truncates it. */
  cpuNanocores: number;
  /** Requests answered per second over the same window. */
  requestsPerSecond: number;
}

export class MetricsServer {
  private last = new Map<string, MetricsPoint>();
  private prev = new Map<string, MetricsPoint>();

  constructor(
    sim: Simulation,
    private readonly cadvisor: CAdvisor,
    private readonly nodeNames: readonly string[],
    private readonly metricResolution: number,
  ) {
    // Its scrape ticker runs from its own start, unrelated to the kubelets' or the HPA's.
    const phase = sim.stream('metrics-server').float() * metricResolution;
    const tick = () => {
      this.scrape();
      sim.after(metricResolution, tick);
    };
    sim.schedule(phase, tick);
  }

  /** PodMetrics of one pod, or undefined when metrics-server has none for it (yet). */
  podMetrics(namespace: string, name: string): PodMetrics | undefined {
    const key = `${namespace}/${name}`;
    const last = this.last.get(key);
    const prev = this.prev.get(key);
    if (!last || !prev) return undefined;
    // resourceUsage: a counter that went backwards is skipped.
    if (last.startTime < prev.startTime || last.cumulativeCpuUsed < prev.cumulativeCpuUsed) return undefined;
    const window = last.timestamp - prev.timestamp;
    return {
      namespace,
      name,
      timestamp: last.timestamp,
      window,
      cpuNanocores: Math.trunc((last.cumulativeCpuUsed - prev.cumulativeCpuUsed) / window),
      requestsPerSecond: (last.cumulativeRequests - prev.cumulativeRequests) / window,
    };
  }

  /** One scrape of every node, then Store. */
  private scrape(): void {
    const last = new Map<string, MetricsPoint>();
    const prev = new Map<string, MetricsPoint>();
    for (const node of this.nodeNames) {
      for (const [key, point] of this.cadvisor.scrape(node)) {
        if (last.has(key)) continue;
        last.set(key, point);
        const sinceStart = point.timestamp - point.startTime;
        if (point.startTime < point.timestamp && sinceStart < this.metricResolution && sinceStart >= FRESH_CONTAINER_MIN_METRICS_RESOLUTION) {
          prev.set(key, { ...point, timestamp: point.startTime, cumulativeCpuUsed: 0, cumulativeRequests: 0 });
          continue;
        }
        const stored = this.last.get(key);
        // Keep the previous point only if the container has not restarted since.
        if (!stored || !(point.startTime < stored.timestamp)) continue;
        if (point.timestamp > stored.timestamp) prev.set(key, stored);
        else {
          const storedPrev = this.prev.get(key);
          if (storedPrev && storedPrev.timestamp < point.timestamp) prev.set(key, storedPrev);
        }
      }
    }
    this.last = last;
    this.prev = prev;
  }
}
