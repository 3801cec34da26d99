/**
 * The kubelet's cAdvisor: every housekeeping interval it samples the cumulative CPU usage of
 * each running pod (usageCoreNanoSeconds, an integer counter since the container started) and
 * keeps the latest sample with its timestamp. The kubelet's resource metrics endpoint
 * (/metrics/resource) answers a scrape from that cache, so metrics-server sees stats up to one
 * housekeeping interval old (pkg/kubelet/cadvisor/cadvisor_linux.go, 10 s).
 *
 * Each node keeps its own housekeeping phase, drawn once from the node's RNG stream: kubelets
 * are not synchronised with each other nor with metrics-server. The app's request counter is
 * sampled at the same instants (it stands in for the app's own /metrics endpoint, see
 * metrics-server.ts).
 */
import type { Simulation } from '../core/simulation.js';
import type { PodUsage } from '../workload/pod-servers.js';

/** One pod's sample, as metrics-server's MetricsPoint holds it (sigs.k8s.io/metrics-server pkg/storage/types.go). */
export interface MetricsPoint {
  namespace: string;
  name: string;
  /** When the container started: its cumulative counters were 0 then. */
  startTime: number;
  /** When the sample was taken. */
  timestamp: number;
  /** usageCoreNanoSeconds: CPU used since start, nanocore-seconds (an integer). */
  cumulativeCpuUsed: number;
  /** Requests the app answered since start. */
  cumulativeRequests: number;
}

/** What reads the runtime's counters (PodServers). */
export interface UsageSource {
  forEachRunning(fn: (usage: PodUsage) => void): void;
}

export class CAdvisor {
  /** The latest sample of each running pod, per node, keyed namespace/name. */
  private readonly latest = new Map<string, Map<string, MetricsPoint>>();

  constructor(
    private readonly sim: Simulation,
    private readonly source: UsageSource,
    nodeNames: readonly string[],
    housekeepingInterval: number,
  ) {
    for (const node of nodeNames) {
      this.latest.set(node, new Map());
      const phase = sim.stream(`cadvisor/${node}`).float() * housekeepingInterval;
      const tick = () => {
        this.housekeep(node);
        sim.after(housekeepingInterval, tick);
      };
      sim.schedule(phase, tick);
    }
  }

  /** The samples the node's kubelet serves now (its /metrics/resource). */
  scrape(node: string): ReadonlyMap<string, MetricsPoint> {
    return this.latest.get(node) ?? new Map();
  }

  private housekeep(node: string): void {
    const now = this.sim.now;
    const samples = new Map<string, MetricsPoint>();
    this.source.forEachRunning((u) => {
      if (u.nodeName !== node) return;
      samples.set(`${u.namespace}/${u.name}`, {
        namespace: u.namespace,
        name: u.name,
        startTime: u.startTime,
        timestamp: now,
        cumulativeCpuUsed: Math.floor(u.cpuSeconds * 1e9),
        cumulativeRequests: u.requests,
      });
    });
    // A container that has exited is no longer reported (cAdvisor drops its cgroup).
    this.latest.set(node, samples);
  }
}
