/**
 * Object and External metrics defined in the scenario (`spec.metrics`), served to the HPA as a
 * metrics adapter would serve them: prometheus-adapter for custom.metrics.k8s.io (Object) and
 * external.metrics.k8s.io (External), answering from Prometheus.
 *
 * A metric is a gauge that follows a curve: a constant, or (time, value) points joined by
 * straight lines, held at the first value before the first point and at the last after the last.
 *
 * Pipeline lag, as upstream: the adapter queries Prometheus when the HPA asks, and Prometheus
 * holds the gauge as of its last scrape of the exporter. Scrapes happen every `scrapeInterval`
 * (default 30 s: the Prometheus Operator's default `scrapeInterval`, monitoring.coreos.com/v1
 * PrometheusSpec, which kube-prometheus-stack keeps) at 0, interval, 2 x interval, ... from the
 * start of the run (Prometheus spreads targets over the interval by a hash of their labels;
 * kubesim fixes that offset at 0 so the lag is easy to reason about); an HPA sync at the instant
 * of a scrape sees that scrape. `scrapeInterval: 0s` serves the curve as it is at the query, as
 * KEDA's metrics server does when it asks the scaler on every HPA request.
 *
 * Values go out in milli-units truncated toward zero, as prometheus-adapter builds them
 * (`resource.NewMilliQuantity(int64(value*1000), ...)`, pkg/custom-provider and
 * pkg/external-provider), and the client reads MilliValue().
 *
 * Matching, as the APIs do: External metrics by name, namespace (an entry without a namespace is
 * served in every namespace, as prometheus-adapter's `namespaced: false` external rules are) and
 * the HPA's `metric.selector` against the entry's labels (no selector: every series; the HPA
 * sums the values it gets). Object metrics by the described object's kind and name in the HPA's
 * namespace, the metric name and the selector; the first entry that matches answers, as
 * GetForObject returns one value.
 */
import { matchesSelector } from '../../api/labels.js';
import type { Labels } from '../../api/types.js';
import { MetricsApiError } from './reconcile.js';
import type { CrossVersionObjectReference, MetricIdentifier } from './types.js';

/** A gauge over time: points sorted by strictly increasing `at` (seconds); one point is a constant. */
export type MetricCurve = readonly { at: number; value: number }[];

export interface ScenarioExternalMetric {
  name: string;
  /** Undefined: served in every namespace. */
  namespace?: string;
  /** The series' labels (metricLabels), matched by the HPA's `metric.selector`. */
  labels: Labels;
  value: MetricCurve;
}

export interface ScenarioObjectMetric {
  describedObject: { apiVersion?: string; kind: string; name: string; namespace: string };
  metric: string;
  labels: Labels;
  value: MetricCurve;
}

/** spec.metrics after loading. */
export interface ScenarioMetrics {
  /** Seconds between Prometheus scrapes; 0 serves the curve live. */
  scrapeInterval: number;
  external: ScenarioExternalMetric[];
  object: ScenarioObjectMetric[];
}

/** The curve's value at `t`: linear between points, flat outside them. */
export function curveValue(curve: MetricCurve, t: number): number {
  const first = curve[0]!;
  if (t <= first.at) return first.value;
  for (let i = 1; i < curve.length; i++) {
    const b = curve[i]!;
    if (t <= b.at) {
      const a = curve[i - 1]!;
      return a.value + ((b.value - a.value) * (t - a.at)) / (b.at - a.at);
    }
  }
  return curve[curve.length - 1]!.value;
}

/** The instant of the last scrape at or before `now`. */
export function lastScrape(now: number, scrapeInterval: number): number {
  if (scrapeInterval <= 0) return now;
  // A sync scheduled at a scrape instant may carry float noise of a few ulps: round it onto the grid.
  const k = Math.floor(now / scrapeInterval + 1e-9);
  return k * scrapeInterval;
}

/** What the adapter serves: milli-units, truncated. */
function milli(value: number): number {
  return Math.trunc(value * 1000);
}

/** A selector as the metrics APIs apply it: absent matches every series (labels.Everything()). */
function selects(metric: MetricIdentifier, labels: Labels): boolean {
  return metric.selector === undefined || matchesSelector(metric.selector, labels);
}

/** The Object and External parts of the HPA's metrics client, for one sync of an HPA in `namespace` at `now`. */
export interface ScenarioMetricsView {
  object(metric: MetricIdentifier, describedObject: CrossVersionObjectReference): number;
  external(metric: MetricIdentifier): number[];
}

export function scenarioMetricsView(metrics: ScenarioMetrics | undefined, namespace: string, now: number): ScenarioMetricsView {
  const t = lastScrape(now, metrics?.scrapeInterval ?? 0);
  return {
    object(metric, ref) {
      const entry = metrics?.object.find(
        (o) =>
          o.metric === metric.name &&
          o.describedObject.kind === ref.kind &&
          o.describedObject.name === ref.name &&
          o.describedObject.namespace === namespace &&
          selects(metric, o.labels),
      );
      if (!entry) throw new MetricsApiError(`the server could not find the metric ${metric.name} for ${ref.kind} ${ref.name}`);
      return milli(curveValue(entry.value, t));
    },
    external(metric) {
      const values = (metrics?.external ?? [])
        .filter((x) => x.name === metric.name && (x.namespace === undefined || x.namespace === namespace) && selects(metric, x.labels))
        .map((x) => milli(curveValue(x.value, t)));
      // metrics/client.go GetExternalMetric: an empty list is an error, not a zero.
      if (values.length === 0) throw new MetricsApiError('no metrics returned from external metrics API');
      return values;
    },
  };
}
