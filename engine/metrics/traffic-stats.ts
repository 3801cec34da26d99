/**
 * Request accounting per Service, per Pod and per Node: the counters behind the request and
 * latency rows of timeseries.csv (per sample interval) and totals.csv (per run), and the
 * conservation check: every request sent is served, failed, or still in flight at the end.
 */
import type { Observer } from './observer.js';
import { LatencyHistogram } from './latency-histogram.js';

/** Why a request failed, as a client would see it. */
export const FAILURE_REASONS = [
  /** The Service had no ready endpoint: kube-proxy rejects the connection. */
  'no_endpoints',
  /** The chosen pod no longer listens (terminating, or gone before kube-proxy caught up). */
  'connection_refused',
  /** The pod's queue was full. */
  'queue_full',
  /** The pod died with the request queued or in service. */
  'connection_reset',
  /** No answer within the client timeout. */
  'timeout',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

class Counters {
  sent = 0;
  served = 0;
  failed = 0;
  readonly failedBy = new Float64Array(FAILURE_REASONS.length);
  readonly latency = new LatencyHistogram();

  addServed(latencySeconds: number): void {
    this.served++;
    this.latency.record(latencySeconds);
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
    this.latency.reset();
  }
}

export interface ServiceRef {
  namespace: string;
  name: string;
}

export class TrafficStats {
  private readonly services: ServiceRef[] = [];
  private readonly interval: Counters[] = [];
  private readonly total: Counters[] = [];
  private readonly all = new Counters();
  private readonly podServed = new Map<string, { namespace: string; name: string; served: number }>();
  readonly nodeEntered: Float64Array;
  readonly nodeExtraHops: Float64Array;

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

  sent(service: number): void {
    this.interval[service]!.sent++;
    this.total[service]!.sent++;
    this.all.sent++;
  }

  served(service: number, latencySeconds: number): void {
    this.interval[service]!.addServed(latencySeconds);
    this.total[service]!.addServed(latencySeconds);
    this.all.addServed(latencySeconds);
  }

  failed(service: number, reason: FailureReason): void {
    const r = FAILURE_REASONS.indexOf(reason);
    this.interval[service]!.addFailed(r);
    this.total[service]!.addFailed(r);
    this.all.addFailed(r);
  }

  podServedOne(uid: string, namespace: string, name: string): void {
    let p = this.podServed.get(uid);
    if (!p) this.podServed.set(uid, (p = { namespace, name, served: 0 }));
    p.served++;
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
      const emit = (metric: string, value: number) => observer.sample(time, 'Service', svc.namespace, svc.name, metric, value);
      emit('requests', c.sent);
      emit('requests_served', c.served);
      emit('requests_failed', c.failed);
      emit('latency_p50_ms', c.latency.quantile(0.5) * 1000);
      emit('latency_p95_ms', c.latency.quantile(0.95) * 1000);
      emit('latency_p99_ms', c.latency.quantile(0.99) * 1000);
      c.reset();
    });
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
    });
    for (const p of this.podServed.values()) observer.total('Pod', p.namespace, p.name, 'requests_served', p.served);
    this.nodeNames.forEach((name, i) => {
      observer.total('Node', '', name, 'requests_entered', this.nodeEntered[i]!);
      observer.total('Node', '', name, 'extra_hops', this.nodeExtraHops[i]!);
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
