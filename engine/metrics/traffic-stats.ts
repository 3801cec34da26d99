/**
 * Request accounting per Service, per Pod and per Node: the counters behind the request and
 * latency rows of timeseries.csv (per sample interval) and totals.csv (per run), and the
 * conservation check: every request sent is served, failed, or still in flight at the end.
 *
 * Latency is split into its parts for answered requests: network (hops there and back),
 * kube-proxy (rule traversal of a new connection), queue (waiting for a worker) and service
 * (a worker's time, CPU throttling included); their interval means are reported beside the
 * percentiles of the whole.
 */
import type { Observer } from './observer.js';
import { LatencyHistogram } from './latency-histogram.js';

/** Why a request failed, as a client would see it. New causes are appended, so columns keep their order. */
export const FAILURE_REASONS = [
  /** The Service had no ready endpoint: kube-proxy rejects the connection. */
  'no_endpoints',
  /** The chosen pod no longer listens although it is still an endpoint (SIGTERM before the EndpointSlice dropped it). */
  'connection_refused',
  /** The pod's queue was full. */
  'queue_full',
  /** The pod died with the request queued or in service. */
  'connection_reset',
  /** No answer within the client timeout. */
  'timeout',
  /** The entry node's kube-proxy still routed to a pod the EndpointSlices had already dropped (it had not synced yet). */
  'stale_endpoint',
  /** externalTrafficPolicy/internalTrafficPolicy Local on a node without a ready local endpoint: the packets are dropped. */
  'dropped_local',
  /** The router's ECMP moved an established connection to another node (MetalLB BGP next hops changed), which resets it. */
  'connection_broken',
  /** No Ingress rule of the controller's class matched the request's host and path: the controller's default backend answered 404. */
  'no_route',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** The parts of an answered request's latency, seconds. */
export const LATENCY_PARTS = ['network', 'kube_proxy', 'queue', 'service'] as const;

export class Counters {
  sent = 0;
  served = 0;
  failed = 0;
  readonly failedBy = new Float64Array(FAILURE_REASONS.length);
  readonly partSums = new Float64Array(LATENCY_PARTS.length);
  readonly latency = new LatencyHistogram();

  addServed(latencySeconds: number, network: number, proxy: number, queue: number, service: number): void {
    this.served++;
    this.latency.record(latencySeconds);
    const p = this.partSums;
    p[0]! += network;
    p[1]! += proxy;
    p[2]! += queue;
    p[3]! += service;
  }

  addFailed(reason: number): void {
    this.failed++;
    this.failedBy[reason]!++;
  }

  reset(): void {
    this.sent = 0;
    this.served = 0;
    this.failed = 0;
    this.failedBy.fill(0);
    this.partSums.fill(0);
    this.latency.reset();
  }

  /** Interval rows: requests, failures by cause, latency percentiles and the means of its parts. */
  emit(emit: (metric: string, value: number) => void, withSent: boolean): void {
    if (withSent) emit('requests', this.sent);
    emit('requests_served', this.served);
    emit('requests_failed', this.failed);
    FAILURE_REASONS.forEach((reason, r) => emit(`requests_failed_${reason}`, this.failedBy[r]!));
    emit('latency_p50_ms', this.latency.quantile(0.5) * 1000);
    emit('latency_p95_ms', this.latency.quantile(0.95) * 1000);
    emit('latency_p99_ms', this.latency.quantile(0.99) * 1000);
    LATENCY_PARTS.forEach((part, i) => emit(`latency_${part}_ms`, this.served === 0 ? NaN : (this.partSums[i]! / this.served) * 1000));
  }
}

export interface ServiceRef {
  namespace: string;
  name: string;
}

/** One pod's counters: the interval ones while it lives, run totals for totals.csv. */
export class PodCounters {
  /** Released after the pod's last sample, so exited pods keep only their totals (a histogram is ~22 kB). */
  interval: Counters | undefined = new Counters();
  served = 0;
  failed = 0;
  /** False once the pod's app has exited: dropped after its last sample. */
  live = true;
  constructor(
    readonly namespace: string,
    readonly name: string,
  ) {}
}

export class TrafficStats {
  private readonly services: ServiceRef[] = [];
  private readonly interval: Counters[] = [];
  private readonly total: Counters[] = [];
  private readonly all = new Counters();
  private readonly pods: PodCounters[] = [];
  private livePods: PodCounters[] = [];
  readonly nodeEntered: Float64Array;
  readonly nodeExtraHops: Float64Array;
  /** More per-node totals (kube-proxy syncs), added by their owners. */
  private readonly nodeTotals: ((emit: (node: number, metric: string, value: number) => void) => void)[] = [];

  constructor(readonly nodeNames: readonly string[]) {
    this.nodeEntered = new Float64Array(nodeNames.length);
    this.nodeExtraHops = new Float64Array(nodeNames.length);
  }

  /** Index of a Service's counters, created on first use. */
  serviceIndex(ref: ServiceRef): number {
    const i = this.services.findIndex((s) => s.namespace === ref.namespace && s.name === ref.name);
    if (i >= 0) return i;
    this.services.push(ref);
    this.interval.push(new Counters());
    this.total.push(new Counters());
    return this.services.length - 1;
  }

  /** Counters of a pod whose app starts serving. */
  pod(namespace: string, name: string): PodCounters {
    const p = new PodCounters(namespace, name);
    this.pods.push(p);
    this.livePods.push(p);
    return p;
  }

  addNodeTotals(fn: (emit: (node: number, metric: string, value: number) => void) => void): void {
    this.nodeTotals.push(fn);
  }

  sent(service: number): void {
    this.interval[service]!.sent++;
    this.total[service]!.sent++;
    this.all.sent++;
  }

  served(service: number, latencySeconds: number, network: number, proxy: number, queue: number, serviceTime: number, pod: PodCounters): void {
    this.interval[service]!.addServed(latencySeconds, network, proxy, queue, serviceTime);
    this.total[service]!.addServed(latencySeconds, network, proxy, queue, serviceTime);
    this.all.addServed(latencySeconds, network, proxy, queue, serviceTime);
    pod.interval?.addServed(latencySeconds, network, proxy, queue, serviceTime);
    pod.served++;
  }

  failed(service: number, reason: FailureReason, pod?: PodCounters): void {
    const r = FAILURE_REASONS.indexOf(reason);
    this.interval[service]!.addFailed(r);
    this.total[service]!.addFailed(r);
    this.all.addFailed(r);
    if (pod) {
      pod.interval?.addFailed(r);
      pod.failed++;
    }
  }

  get sentTotal(): number {
    return this.all.sent;
  }

  get endedTotal(): number {
    return this.all.served + this.all.failed;
  }

  /** Rows for one sample instant; counters of the interval start again. */
  sample(time: number, observer: Observer): void {
    this.services.forEach((svc, i) => {
      const c = this.interval[i]!;
      c.emit((metric, value) => observer.sample(time, 'Service', svc.namespace, svc.name, metric, value), true);
      c.reset();
    });
    for (const p of this.livePods) {
      p.interval!.emit((metric, value) => observer.sample(time, 'Pod', p.namespace, p.name, metric, value), false);
      p.interval!.reset();
      if (!p.live) p.interval = undefined;
    }
    // Memory stays flat however many pods come and go: exited pods keep only their totals.
    if (this.livePods.some((p) => !p.live)) this.livePods = this.livePods.filter((p) => p.live);
  }

  totals(observer: Observer): void {
    this.services.forEach((svc, i) => {
      const c = this.total[i]!;
      const emit = (metric: string, value: number) => observer.total('Service', svc.namespace, svc.name, metric, value);
      emit('requests', c.sent);
      emit('requests_served', c.served);
      emit('requests_failed', c.failed);
      FAILURE_REASONS.forEach((reason, r) => emit(`requests_failed_${reason}`, c.failedBy[r]!));
      emit('latency_mean_ms', c.latency.mean * 1000);
      emit('latency_p50_ms', c.latency.quantile(0.5) * 1000);
      emit('latency_p95_ms', c.latency.quantile(0.95) * 1000);
      emit('latency_p99_ms', c.latency.quantile(0.99) * 1000);
      emit('latency_max_ms', c.latency.maximum * 1000);
      LATENCY_PARTS.forEach((part, k) => emit(`latency_${part}_mean_ms`, c.served === 0 ? NaN : (c.partSums[k]! / c.served) * 1000));
    });
    // A pod name can come back (StatefulSets): its runs add up.
    const byName = new Map<string, { namespace: string; name: string; served: number; failed: number }>();
    for (const p of this.pods) {
      const key = `${p.namespace}/${p.name}`;
      const t = byName.get(key) ?? { namespace: p.namespace, name: p.name, served: 0, failed: 0 };
      t.served += p.served;
      t.failed += p.failed;
      byName.set(key, t);
    }
    for (const t of byName.values()) {
      observer.total('Pod', t.namespace, t.name, 'requests_served', t.served);
      observer.total('Pod', t.namespace, t.name, 'requests_failed', t.failed);
    }
    const extra = new Map<number, [string, number][]>();
    for (const fn of this.nodeTotals) fn((node, metric, value) => (extra.get(node) ?? extra.set(node, []).get(node)!).push([metric, value]));
    this.nodeNames.forEach((name, i) => {
      observer.total('Node', '', name, 'requests_entered', this.nodeEntered[i]!);
      observer.total('Node', '', name, 'extra_hops', this.nodeExtraHops[i]!);
      for (const [metric, value] of extra.get(i) ?? []) observer.total('Node', '', name, metric, value);
    });
  }

  /** Run-wide figures for summary.csv. */
  summary(into: Map<string, number>, inFlight: number): void {
    const c = this.all;
    into.set('requests', c.sent);
    into.set('requests_served', c.served);
    into.set('requests_failed', c.failed);
    into.set('requests_in_flight_at_end', inFlight);
    into.set('error_rate', c.sent === 0 ? 0 : c.failed / c.sent);
    FAILURE_REASONS.forEach((reason, r) => into.set(`requests_failed_${reason}`, c.failedBy[r]!));
    into.set('latency_mean_ms', c.latency.mean * 1000);
    into.set('latency_p50_ms', c.latency.quantile(0.5) * 1000);
    into.set('latency_p95_ms', c.latency.quantile(0.95) * 1000);
    into.set('latency_p99_ms', c.latency.quantile(0.99) * 1000);
    into.set('latency_max_ms', c.latency.maximum * 1000);
  }
}
