/**
 * Scheduling rows of timeseries.csv (kind Cluster), totals.csv (kind Scheduler) and summary.csv,
 * from the Scheduler's counters (`scheduler.stats`) and its cache:
 *  - per interval: `scheduling_attempts`, `scheduling_failures`, `scheduling_preemptions`, and
 *    `scheduling_latency_p50_ms` / `_p99_ms` of the pods bound in the interval (creation to
 *    bind, as kube-scheduler's pod_scheduling_sli_duration_seconds; rows only for intervals
 *    that bound a pod);
 *  - at each instant: `nodes_in_use` (nodes running at least one pod not owned by a DaemonSet:
 *    what bin packing minimizes) and the fragmentation figure
 *    `fragmented_cpu_ratio` / `fragmented_memory_ratio`: the free CPU (memory) on nodes that
 *    cannot fit the workload's median pod, over the free CPU (memory) of all schedulable nodes.
 *    The median pod is the median CPU and median memory request of the pods not owned by a
 *    DaemonSet (pending included: they are what needs room); a node cannot fit it when its
 *    free CPU or free memory is below the median, or it has no pod slot left. 0 when nothing
 *    is free or there are no such pods.
 * Memory stays bounded: per-interval latencies are drained into a fixed-size histogram.
 */
import type { ApiServer } from '../api/store.js';
import { podRequests } from '../api/resources.js';
import type { Pod } from '../api/types.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import { LatencyHistogram } from './latency-histogram.js';
import type { Observer } from './observer.js';

function ownedByDaemonSet(pod: Pod): boolean {
  return pod.metadata.ownerReferences?.some((o) => o.kind === 'DaemonSet' && o.controller) ?? false;
}

/** The lower median of a sorted list (a request some pod really makes). */
function median(sorted: readonly number[]): number {
  return sorted[(sorted.length - 1) >> 1]!;
}

export class SchedulerSampler {
  private lastAttempts = 0;
  private lastFailures = 0;
  private lastPreemptions = 0;
  private readonly interval = new LatencyHistogram();
  private readonly whole = new LatencyHistogram();

  constructor(
    private readonly scheduler: Scheduler,
    private readonly api: ApiServer,
  ) {}

  sample(time: number, observer: Observer): void {
    const s = this.scheduler.stats;
    const cluster = (metric: string, value: number) => observer.sample(time, 'Cluster', '', '', metric, value);
    cluster('scheduling_attempts', s.attempts - this.lastAttempts);
    cluster('scheduling_failures', s.failures - this.lastFailures);
    cluster('scheduling_preemptions', s.preemptions - this.lastPreemptions);
    this.lastAttempts = s.attempts;
    this.lastFailures = s.failures;
    this.lastPreemptions = s.preemptions;
    this.drain();
    if (this.interval.count > 0) {
      cluster('scheduling_latency_p50_ms', this.interval.quantile(0.5) * 1000);
      cluster('scheduling_latency_p99_ms', this.interval.quantile(0.99) * 1000);
    }
    this.interval.reset();

    const cpus: number[] = [];
    const mems: number[] = [];
    const daemonPods = new Set<string>();
    for (const pod of this.api.list('Pod')) {
      const phase = pod.status?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') continue;
      if (ownedByDaemonSet(pod)) {
        daemonPods.add(`${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`);
        continue;
      }
      const r = podRequests(pod.spec);
      cpus.push(r.cpuMilli);
      mems.push(r.memoryBytes);
    }
    cpus.sort((a, b) => a - b);
    mems.sort((a, b) => a - b);
    let inUse = 0;
    let freeCpu = 0;
    let freeMem = 0;
    let fragCpu = 0;
    let fragMem = 0;
    const medCpu = cpus.length ? median(cpus) : 0;
    const medMem = mems.length ? median(mems) : 0;
    for (const node of this.scheduler.snapshot.nodes) {
      if (node.pods.some((p) => !daemonPods.has(p.key))) inUse++;
      if (node.unschedulable) continue;
      const cpu = Math.max(0, node.allocCpu - node.reqCpu);
      const mem = Math.max(0, node.allocMemory - node.reqMemory);
      freeCpu += cpu;
      freeMem += mem;
      if (cpus.length && (cpu < medCpu || mem < medMem || node.pods.length >= node.allocPods)) {
        fragCpu += cpu;
        fragMem += mem;
      }
    }
    cluster('nodes_in_use', inUse);
    cluster('fragmented_cpu_ratio', freeCpu === 0 ? 0 : fragCpu / freeCpu);
    cluster('fragmented_memory_ratio', freeMem === 0 ? 0 : fragMem / freeMem);
  }

  private drain(): void {
    const lat = this.scheduler.stats.latencies;
    for (const l of lat) {
      this.interval.record(l);
      this.whole.record(l);
    }
    lat.length = 0;
  }

  /** totals.csv rows (kind Scheduler) and summary.csv columns, at the end of the run. */
  finish(observer: Observer, summary: Map<string, number>): void {
    this.drain();
    const s = this.scheduler.stats;
    const p50 = this.whole.count ? this.whole.quantile(0.5) * 1000 : 0;
    const p99 = this.whole.count ? this.whole.quantile(0.99) * 1000 : 0;
    const figures: [string, number][] = [
      ['scheduling_attempts', s.attempts],
      ['scheduling_failures', s.failures],
      ['pods_scheduled', s.scheduled],
      ['scheduling_preemptions', s.preemptions],
      ['scheduling_latency_p50_ms', p50],
      ['scheduling_latency_p99_ms', p99],
    ];
    for (const [metric, value] of figures) {
      observer.total('Scheduler', '', 'kube-scheduler', metric, value);
      summary.set(metric, value);
    }
  }
}
