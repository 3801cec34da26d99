/**
 * spec.metrics: Object and External metrics for the HPA, defined in the scenario and served as
 * prometheus-adapter serves them (engine/controllers/hpa/scenario-metrics.ts: the curve, the
 * scrape lag, the matching rules).
 *
 *   metrics:
 *     scrapeInterval: 30s                 # Prometheus' scrape period; 0s = read live
 *     external:
 *       - name: queue_messages_ready
 *         labels: { queue: orders }       # matched by the HPA's metric.selector
 *         value: [{ at: 1m, value: 0 }, { at: 3m, value: 300 }]   # or a number
 *     object:
 *       - describedObject: { apiVersion: networking.k8s.io/v1, kind: Ingress, name: main }
 *         metric: requests_per_second
 *         value: 120
 *
 * A value is a number (a constant) or a curve: points with strictly increasing `at`, joined by
 * straight lines, flat before the first and after the last. Those names follow the HPA's own
 * fields (`metric.name`, `describedObject`, `metric.selector` against the series' labels), so
 * an HPA manifest and its metric read alike.
 */
import type { MetricCurve, ScenarioMetrics } from '../controllers/hpa/scenario-metrics.js';
import { DEFAULTS } from './defaults.js';
import { dnsLabel, labels } from './formats.js';
import { arr, at, duration, fail, num, obj, oneOf, refine, str, type Schema } from './schema.js';

const finite = () => num({ min: -1e15, max: 1e15 });

const point = obj(
  {
    at: duration().describe('Time from the start of the run.'),
    value: finite().describe('The gauge at that time.'),
  },
  { required: ['at', 'value'] },
);

const curve: Schema<MetricCurve> = oneOf<MetricCurve>('a number, or a list of {at, value} points', [
  { when: (v) => typeof v === 'number', schema: refine(finite(), (v): MetricCurve => [{ at: 0, value: v }]).describe('A constant value.') },
  {
    when: Array.isArray,
    schema: refine(arr(point, { minItems: 1 }), (points, ctx): MetricCurve => {
      points.forEach((p, i) => {
        if (i > 0 && p.at <= points[i - 1]!.at) fail(at(at(ctx, i), 'at'), `a time after ${points[i - 1]!.at} s (strictly increasing)`, p.at);
      });
      return points.map((p) => ({ at: p.at, value: p.value }));
    }).describe('Points joined by straight lines; flat before the first and after the last.'),
  },
]);

const metricName = () => str({ minLength: 1, maxLength: 253, patternName: 'a metric name' });

const external = obj(
  {
    name: metricName().describe('The metric name the HPA asks for (spec.metrics[].external.metric.name).'),
    namespace: dnsLabel().describe('Served in this namespace only; absent: in every namespace.'),
    labels: labels().describe("The series' labels, matched by the HPA's metric.selector.").default({}),
    value: curve,
  },
  { required: ['name', 'value'] },
);

const object = obj(
  {
    describedObject: obj(
      {
        apiVersion: str({ minLength: 1 }),
        kind: str({ minLength: 1, patternName: 'a kind such as Ingress' }),
        name: str({ minLength: 1, maxLength: 253, patternName: 'an object name' }),
        namespace: dnsLabel().default('default'),
      },
      { required: ['kind', 'name'] },
    ).describe('The object the metric describes, as the HPA names it (it is looked up in the HPA\'s namespace).'),
    metric: metricName().describe('The metric name (spec.metrics[].object.metric.name).'),
    labels: labels().describe("The series' labels, matched by the HPA's metric.selector.").default({}),
    value: curve,
  },
  { required: ['describedObject', 'metric', 'value'] },
);

export const metricsSpec = () =>
  refine(
    obj({
      scrapeInterval: duration()
        .describe(`Prometheus' scrape period: the HPA sees each gauge as of the last scrape (default ${DEFAULTS.metrics.adapterScrapeInterval}s; 0s reads it live, as KEDA does).`)
        .default(DEFAULTS.metrics.adapterScrapeInterval),
      external: arr(external).describe('External metrics (external.metrics.k8s.io), e.g. a queue length.').default([]),
      object: arr(object).describe('Object metrics (custom.metrics.k8s.io), e.g. requests per second on an Ingress.').default([]),
    }),
    (m): ScenarioMetrics => ({
      scrapeInterval: m.scrapeInterval,
      external: m.external.map((x) => ({ name: x.name, ...(x.namespace !== undefined && { namespace: x.namespace }), labels: x.labels, value: x.value })),
      object: m.object.map((o) => ({
        describedObject: { ...(o.describedObject.apiVersion !== undefined && { apiVersion: o.describedObject.apiVersion }), kind: o.describedObject.kind, name: o.describedObject.name, namespace: o.describedObject.namespace },
        metric: o.metric,
        labels: o.labels,
        value: o.value,
      })),
    }),
  ).describe('Object and External metrics for HorizontalPodAutoscalers, served as prometheus-adapter serves them.');
