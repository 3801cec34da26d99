/**
 * The objects `kubesim hpa` reads, checked with path-addressed user errors
 * (engine/scenario/errors.ts), and turned into one controller step's input: the
 * HorizontalPodAutoscaler (autoscaling/v2), its scale target (apps/v1 Deployment, ReplicaSet
 * or StatefulSet), Pods, PodMetrics (metrics.k8s.io/v1beta1), MetricValueList
 * (custom.metrics.k8s.io/v1beta2), ExternalMetricValueList (external.metrics.k8s.io/v1beta1)
 * and the controller's memory (kubesim.dev/v1alpha1 HorizontalPodAutoscalerHistory).
 * `*List` documents with `items` are flattened; other kinds are ignored, so a whole
 * `kubectl get -o yaml` dump can be passed.
 */
import { parseDuration } from '../../core/duration.js';
import { isQuantity } from '../../api/quantity.js';
import { matchesSelector } from '../../api/labels.js';
import type { LabelSelector, Labels, ResourceList } from '../../api/types.js';
import { errors } from '../../scenario/errors.js';
import { parseRfc3339 } from './rfc3339.js';
import { MetricsApiError, type MetricsSource, type ScaleSubresource } from './reconcile.js';
import { milliValue, type PodMetricsInfo } from './replica-calculator.js';
import type { HorizontalPodAutoscaler, HpaHistory, MetricSpec, MetricTarget, PodSample, TimestampedScaleEvent } from './types.js';

/** One parsed YAML document and where it came from. */
export interface SourceDocument {
  value: unknown;
  file: string;
  /** 0-based position in its file, and how many documents the file has. */
  index: number;
  count: number;
}

interface At {
  file: string;
  path: string;
}

type Obj = Record<string, unknown>;

function child(at: At, key: string | number): At {
  return { file: at.file, path: typeof key === 'number' ? `${at.path}[${key}]` : at.path ? `${at.path}.${key}` : key };
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function obj(v: unknown, at: At): Obj {
  if (!isObj(v)) throw errors.wrongType(at.file, at.path, 'an object', v);
  return v;
}

function optObj(v: unknown, at: At): Obj | undefined {
  return v === undefined || v === null ? undefined : obj(v, at);
}

function arr(v: unknown, at: At): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw errors.wrongType(at.file, at.path, 'a list', v);
  return v;
}

function str(o: Obj, key: string, at: At, required = true): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) {
    if (required) throw errors.missingField(at.file, at.path, key);
    return undefined;
  }
  if (typeof v !== 'string' || v === '') throw errors.wrongType(at.file, child(at, key).path, 'a non-empty string', v);
  return v;
}

function int(o: Obj, key: string, at: At, min: number, max = 2147483647, required = false): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) {
    if (required) throw errors.missingField(at.file, at.path, key);
    return undefined;
  }
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw errors.outOfRange(at.file, child(at, key).path, `an integer from ${min} to ${max}`, v);
  }
  return v;
}

function enumOf<T extends string>(o: Obj, key: string, at: At, values: readonly T[], required = true): T | undefined {
  const v = o[key];
  if (v === undefined || v === null) {
    if (required) throw errors.missingField(at.file, at.path, key);
    return undefined;
  }
  if (typeof v !== 'string' || !values.includes(v as T)) throw errors.wrongType(at.file, child(at, key).path, `one of ${values.join(', ')}`, v);
  return v as T;
}

function quantity(o: Obj, key: string, at: At, required = false): string | number | undefined {
  const v = o[key];
  if (v === undefined || v === null) {
    if (required) throw errors.missingField(at.file, at.path, key);
    return undefined;
  }
  if (!isQuantity(v) || (typeof v === 'string' && v.trim().startsWith('-')) || (typeof v === 'number' && v < 0)) {
    throw errors.wrongType(at.file, child(at, key).path, 'a non-negative Kubernetes quantity such as 100m, 2 or 1Gi', v);
  }
  return v as string | number;
}

function time(o: Obj, key: string, at: At, required = false): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) {
    if (required) throw errors.missingField(at.file, at.path, key);
    return undefined;
  }
  const t = typeof v === 'string' ? parseRfc3339(v) : undefined;
  if (t === undefined) throw errors.wrongType(at.file, child(at, key).path, 'an RFC 3339 time such as 2026-01-01T00:00:00Z', v);
  return t;
}

function labels(o: Obj, key: string, at: At): Labels | undefined {
  const v = optObj(o[key], child(at, key));
  if (!v) return undefined;
  for (const [k, value] of Object.entries(v)) {
    if (typeof value !== 'string') throw errors.wrongType(at.file, child(child(at, key), k).path, 'a string label value', value);
  }
  return v as Labels;
}

function selector(o: Obj, key: string, at: At): LabelSelector | undefined {
  const v = optObj(o[key], child(at, key));
  if (!v) return undefined;
  const s: LabelSelector = {};
  const ml = labels(v, 'matchLabels', child(at, key));
  if (ml) s.matchLabels = ml;
  const exprs = arr(v.matchExpressions, child(child(at, key), 'matchExpressions'));
  if (exprs.length) {
    s.matchExpressions = exprs.map((e, i) => {
      const eAt = child(child(child(at, key), 'matchExpressions'), i);
      const eo = obj(e, eAt);
      const values = arr(eo.values, child(eAt, 'values')).map((x, j) => {
        if (typeof x !== 'string') throw errors.wrongType(at.file, child(child(eAt, 'values'), j).path, 'a string', x);
        return x;
      });
      return { key: str(eo, 'key', eAt)!, operator: enumOf(eo, 'operator', eAt, ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const)!, values };
    });
  }
  return s;
}

function resourceList(o: Obj, key: string, at: At): ResourceList | undefined {
  const v = optObj(o[key], child(at, key));
  if (!v) return undefined;
  for (const name of Object.keys(v)) quantity(v, name, child(at, key), true);
  return v as ResourceList;
}

function meta(o: Obj, at: At, namespaced = true): { name: string; namespace: string; labels: Labels | undefined } {
  const mAt = child(at, 'metadata');
  const m = obj(o.metadata, mAt);
  const name = str(m, 'name', mAt)!;
  const namespace = namespaced ? (str(m, 'namespace', mAt, false) ?? 'default') : '';
  return { name, namespace, labels: labels(m, 'labels', mAt) };
}

// ---- the HorizontalPodAutoscaler ----

const METRIC_TYPES = ['Resource', 'ContainerResource', 'Pods', 'Object', 'External'] as const;
const TARGET_TYPES = ['Utilization', 'Value', 'AverageValue'] as const;

function target(o: Obj, at: At): MetricTarget {
  const tAt = child(at, 'target');
  const t = obj(o.target, tAt);
  const type = enumOf(t, 'type', tAt, TARGET_TYPES)!;
  const out = { type, averageUtilization: int(t, 'averageUtilization', tAt, 1), averageValue: quantity(t, 'averageValue', tAt), value: quantity(t, 'value', tAt) };
  const needed = type === 'Utilization' ? 'averageUtilization' : type === 'Value' ? 'value' : 'averageValue';
  if (out[needed] === undefined) throw errors.missingField(tAt.file, tAt.path, needed);
  return out;
}

function metricId(o: Obj, at: At): { name: string; selector?: LabelSelector } {
  const mAt = child(at, 'metric');
  const m = obj(o.metric, mAt);
  const sel = selector(m, 'selector', mAt);
  return sel ? { name: str(m, 'name', mAt)!, selector: sel } : { name: str(m, 'name', mAt)! };
}

function metricSpec(v: unknown, at: At): MetricSpec {
  const o = obj(v, at);
  const type = enumOf(o, 'type', at, METRIC_TYPES)!;
  const key = type.charAt(0).toLowerCase() + type.slice(1);
  const sAt = child(at, key);
  const s = obj(o[key], sAt);
  switch (type) {
    case 'Resource':
      return { type, resource: { name: str(s, 'name', sAt)!, target: target(s, sAt) } };
    case 'ContainerResource':
      return { type, containerResource: { name: str(s, 'name', sAt)!, container: str(s, 'container', sAt)!, target: target(s, sAt) } };
    case 'Pods':
      return { type, pods: { metric: metricId(s, sAt), target: target(s, sAt) } };
    case 'Object': {
      const dAt = child(sAt, 'describedObject');
      const d = obj(s.describedObject, dAt);
      const describedObject = { kind: str(d, 'kind', dAt)!, name: str(d, 'name', dAt)!, apiVersion: str(d, 'apiVersion', dAt, false) };
      return { type, object: { describedObject, metric: metricId(s, sAt), target: target(s, sAt) } };
    }
    case 'External':
      return { type, external: { metric: metricId(s, sAt), target: target(s, sAt) } };
  }
}

function scalingRules(v: unknown, at: At) {
  const o = optObj(v, at);
  if (!o) return undefined;
  const policies =
    o.policies === undefined
      ? undefined
      : arr(o.policies, child(at, 'policies')).map((p, i) => {
          const pAt = child(child(at, 'policies'), i);
          const po = obj(p, pAt);
          return {
            type: enumOf(po, 'type', pAt, ['Pods', 'Percent'] as const)!,
            value: int(po, 'value', pAt, 1, 2147483647, true)!,
            periodSeconds: int(po, 'periodSeconds', pAt, 1, 1800, true)!,
          };
        });
  return {
    stabilizationWindowSeconds: int(o, 'stabilizationWindowSeconds', at, 0, 3600),
    selectPolicy: enumOf(o, 'selectPolicy', at, ['Max', 'Min', 'Disabled'] as const, false),
    policies,
    tolerance: quantity(o, 'tolerance', at),
  };
}

function parseHpa(o: Obj, at: At): HorizontalPodAutoscaler {
  const m = meta(o, at);
  const sAt = child(at, 'spec');
  const s = obj(o.spec, sAt);
  const rAt = child(sAt, 'scaleTargetRef');
  const r = obj(s.scaleTargetRef, rAt);
  const scaleTargetRef = { kind: str(r, 'kind', rAt)!, name: str(r, 'name', rAt)!, apiVersion: str(r, 'apiVersion', rAt, false) };
  const minReplicas = int(s, 'minReplicas', sAt, 0);
  const maxReplicas = int(s, 'maxReplicas', sAt, 1, 2147483647, true)!;
  if (minReplicas !== undefined && minReplicas > maxReplicas) {
    throw errors.invalidValue(sAt.file, child(sAt, 'minReplicas').path, `at most spec.maxReplicas (${maxReplicas})`, String(minReplicas));
  }
  const metrics = arr(s.metrics, child(sAt, 'metrics')).map((x, i) => metricSpec(x, child(child(sAt, 'metrics'), i)));
  const bAt = child(sAt, 'behavior');
  const b = optObj(s.behavior, bAt);
  const behavior = b ? { scaleUp: scalingRules(b.scaleUp, child(bAt, 'scaleUp')), scaleDown: scalingRules(b.scaleDown, child(bAt, 'scaleDown')) } : undefined;
  const status = optObj(o.status, child(at, 'status'));
  if (status) int(status, 'currentReplicas', child(at, 'status'), 0);
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: m.name, namespace: m.namespace },
    spec: { scaleTargetRef, minReplicas: minReplicas ?? 1, maxReplicas, metrics, behavior },
  };
}

// ---- pods and metrics ----

interface PodDoc {
  sample: PodSample;
  namespace: string;
  labels: Labels | undefined;
}

function containers(v: unknown, at: At, sidecarsOnly: boolean): { name: string; requests?: ResourceList }[] {
  const out: { name: string; requests?: ResourceList }[] = [];
  arr(v, at).forEach((c, i) => {
    const cAt = child(at, i);
    const co = obj(c, cAt);
    if (sidecarsOnly && co.restartPolicy !== 'Always') return;
    const res = optObj(co.resources, child(cAt, 'resources'));
    const requests = res ? resourceList(res, 'requests', child(cAt, 'resources')) : undefined;
    out.push(requests ? { name: str(co, 'name', cAt)!, requests } : { name: str(co, 'name', cAt)! });
  });
  return out;
}

function parsePod(o: Obj, at: At): PodDoc {
  const m = meta(o, at);
  const mo = obj(o.metadata, child(at, 'metadata'));
  const deleting = time(mo, 'deletionTimestamp', child(at, 'metadata')) !== undefined;
  const sAt = child(at, 'spec');
  const spec = obj(o.spec ?? {}, sAt);
  const podRes = optObj(spec.resources, child(sAt, 'resources'));
  const stAt = child(at, 'status');
  const status = optObj(o.status, stAt) ?? {};
  const phase = enumOf(status, 'phase', stAt, ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] as const, false) ?? 'Pending';
  const sample: PodSample = { name: m.name, phase, deleting, containers: containers(spec.containers, child(sAt, 'containers'), false) };
  const sidecars = containers(spec.initContainers, child(sAt, 'initContainers'), true);
  if (sidecars.length) sample.sidecars = sidecars;
  const podRequests = podRes ? resourceList(podRes, 'requests', child(sAt, 'resources')) : undefined;
  if (podRequests) sample.podRequests = podRequests;
  const startTime = time(status, 'startTime', stAt);
  if (startTime !== undefined) sample.startTime = startTime;
  arr(status.conditions, child(stAt, 'conditions')).forEach((c, i) => {
    const cAt = child(child(stAt, 'conditions'), i);
    const co = obj(c, cAt);
    if (co.type !== 'Ready') return;
    const st = enumOf(co, 'status', cAt, ['True', 'False', 'Unknown'] as const)!;
    // A condition without lastTransitionTime has Go's zero time there.
    sample.ready = { status: st, lastTransitionTime: time(co, 'lastTransitionTime', cAt) ?? parseRfc3339('0001-01-01T00:00:00Z')! };
  });
  return { sample, namespace: m.namespace, labels: m.labels };
}

interface PodMetricsDoc {
  name: string;
  namespace: string;
  labels: Labels | undefined;
  timestamp: number;
  window: number;
  containers: { name: string; usage: ResourceList }[];
}

function parsePodMetrics(o: Obj, at: At): PodMetricsDoc {
  const m = meta(o, at);
  const w = o.window;
  let window = 0;
  if (w !== undefined && w !== null) {
    try {
      window = parseDuration(w as string);
    } catch {
      throw errors.wrongType(at.file, child(at, 'window').path, 'a duration such as 15s', w);
    }
  }
  const cs = arr(o.containers, child(at, 'containers')).map((c, i) => {
    const cAt = child(child(at, 'containers'), i);
    const co = obj(c, cAt);
    return { name: str(co, 'name', cAt)!, usage: resourceList(co, 'usage', cAt) ?? {} };
  });
  return { name: m.name, namespace: m.namespace, labels: m.labels, timestamp: time(o, 'timestamp', at, true)!, window, containers: cs };
}

interface CustomItem {
  kind: string;
  name: string;
  namespace: string | undefined;
  metric: string;
  timestamp: number;
  window: number;
  value: number;
}

function parseCustomList(o: Obj, at: At): CustomItem[] {
  return arr(o.items, child(at, 'items')).map((x, i) => {
    const iAt = child(child(at, 'items'), i);
    const io = obj(x, iAt);
    const dAt = child(iAt, 'describedObject');
    const d = obj(io.describedObject, dAt);
    const metricObj = optObj(io.metric, child(iAt, 'metric'));
    // v1beta2 has metric.name; v1beta1 had metricName.
    const metric = metricObj ? str(metricObj, 'name', child(iAt, 'metric'))! : str(io, 'metricName', iAt)!;
    return {
      kind: str(d, 'kind', dAt)!,
      name: str(d, 'name', dAt)!,
      namespace: str(d, 'namespace', dAt, false),
      metric,
      timestamp: time(io, 'timestamp', iAt) ?? 0,
      window: int(io, 'windowSeconds', iAt, 0) ?? 0,
      value: milliValue(quantity(io, 'value', iAt, true)!),
    };
  });
}

interface ExternalItem {
  metricName: string;
  metricLabels: Labels;
  value: number;
}

function parseExternalList(o: Obj, at: At): ExternalItem[] {
  return arr(o.items, child(at, 'items')).map((x, i) => {
    const iAt = child(child(at, 'items'), i);
    const io = obj(x, iAt);
    time(io, 'timestamp', iAt);
    return { metricName: str(io, 'metricName', iAt)!, metricLabels: labels(io, 'metricLabels', iAt) ?? {}, value: milliValue(quantity(io, 'value', iAt, true)!) };
  });
}

function parseHistory(o: Obj, at: At): { name: string; namespace: string; history: HpaHistory } {
  const m = meta(o, at);
  const events = (key: string): TimestampedScaleEvent[] =>
    arr(o[key], child(at, key)).map((x, i) => {
      const eAt = child(child(at, key), i);
      const eo = obj(x, eAt);
      return { replicaChange: int(eo, 'replicaChange', eAt, 0, 2147483647, true)!, timestamp: time(eo, 'timestamp', eAt, true)! };
    });
  const recommendations =
    o.recommendations === undefined || o.recommendations === null
      ? undefined
      : arr(o.recommendations, child(at, 'recommendations')).map((x, i) => {
          const rAt = child(child(at, 'recommendations'), i);
          const ro = obj(x, rAt);
          return { replicas: int(ro, 'replicas', rAt, 0, 2147483647, true)!, timestamp: time(ro, 'timestamp', rAt, true)! };
        });
  return { name: m.name, namespace: m.namespace, history: { recommendations, scaleUpEvents: events('scaleUpEvents'), scaleDownEvents: events('scaleDownEvents') } };
}

// ---- assembling one step ----

export interface HpaStepInputs {
  hpa: HorizontalPodAutoscaler;
  scale: ScaleSubresource;
  pods: PodSample[];
  metrics: MetricsSource;
  history: HpaHistory;
}

const TARGET_KINDS = ['Deployment', 'ReplicaSet', 'StatefulSet'];

/** The API group/version each kind must carry. */
const API_VERSIONS: Readonly<Record<string, string>> = {
  HorizontalPodAutoscaler: 'autoscaling/v2',
  Deployment: 'apps/v1',
  ReplicaSet: 'apps/v1',
  StatefulSet: 'apps/v1',
  Pod: 'v1',
  PodMetrics: 'metrics.k8s.io/v1beta1',
  MetricValueList: 'custom.metrics.k8s.io/v1beta2',
  ExternalMetricValueList: 'external.metrics.k8s.io/v1beta1',
  HorizontalPodAutoscalerHistory: 'kubesim.dev/v1alpha1',
};
const ALTERNATE_VERSIONS: Readonly<Record<string, string[]>> = { MetricValueList: ['custom.metrics.k8s.io/v1beta1'] };

interface Placed {
  o: Obj;
  at: At;
}

function flatten(docs: readonly SourceDocument[]): Placed[] {
  const out: Placed[] = [];
  for (const d of docs) {
    if (d.value === null || d.value === undefined) continue;
    const file = d.count > 1 ? `${d.file} (document ${d.index + 1})` : d.file;
    const o = obj(d.value, { file, path: '' });
    const kind = o.kind;
    if (typeof kind === 'string' && kind.endsWith('List') && kind !== 'MetricValueList' && kind !== 'ExternalMetricValueList') {
      arr(o.items, { file, path: 'items' }).forEach((item, i) => out.push({ o: obj(item, { file, path: `items[${i}]` }), at: { file, path: `items[${i}]` } }));
    } else {
      out.push({ o, at: { file, path: '' } });
    }
  }
  return out;
}

function checkVersion(p: Placed, kind: string): void {
  const want = API_VERSIONS[kind]!;
  const ok = [want, ...(ALTERNATE_VERSIONS[kind] ?? [])];
  if (!ok.includes(p.o.apiVersion as string)) throw errors.wrongType(p.at.file, child(p.at, 'apiVersion').path, `apiVersion ${want} for kind ${kind}`, p.o.apiVersion);
}

/** Reads every document, finds the one HPA and what it refers to. */
export function readHpaDocuments(docs: readonly SourceDocument[]): HpaStepInputs {
  const placed = flatten(docs);
  const ofKind = (kind: string) => placed.filter((p) => p.o.kind === kind).map((p) => (checkVersion(p, kind), p));
  const hpas = ofKind('HorizontalPodAutoscaler');
  if (hpas.length !== 1) {
    const where = docs[0]?.file;
    throw errors.invalidValue(where, 'kind', 'exactly one HorizontalPodAutoscaler (autoscaling/v2) across the files', `${hpas.length}`);
  }
  const hpaAt = hpas[0]!.at;
  const hpa = parseHpa(hpas[0]!.o, hpaAt);
  const ns = hpa.metadata.namespace!;
  const ref = hpa.spec.scaleTargetRef;

  const refAt = child(child(child(hpaAt, 'spec'), 'scaleTargetRef'), 'name');
  if (!TARGET_KINDS.includes(ref.kind)) {
    throw errors.invalidValue(hpaAt.file, child(child(child(hpaAt, 'spec'), 'scaleTargetRef'), 'kind').path, `one of ${TARGET_KINDS.join(', ')}`, `"${ref.kind}"`);
  }
  const targets = ofKind(ref.kind).filter((p) => meta(p.o, p.at).name === ref.name && meta(p.o, p.at).namespace === ns);
  if (targets.length === 0) {
    throw errors.unknownReference(refAt.file, refAt.path, `${ref.kind} in namespace ${ns} in the given files`, ref.name, ofKind(ref.kind).map((p) => meta(p.o, p.at).name));
  }
  const t = targets[0]!;
  const tSpec = obj(t.o.spec, child(t.at, 'spec'));
  const tStatus = optObj(t.o.status, child(t.at, 'status')) ?? {};
  const scale: ScaleSubresource = {
    specReplicas: int(tSpec, 'replicas', child(t.at, 'spec'), 0) ?? 1,
    statusReplicas: int(tStatus, 'replicas', child(t.at, 'status'), 0) ?? 0,
    selector: selector(tSpec, 'selector', child(t.at, 'spec')),
  };

  const pods = ofKind('Pod')
    .map((p) => parsePod(p.o, p.at))
    .filter((p) => p.namespace === ns && scale.selector !== undefined && matchesSelector(scale.selector, p.labels));
  const podNames = new Set(pods.map((p) => p.sample.name));
  const podMetrics = ofKind('PodMetrics')
    .map((p) => parsePodMetrics(p.o, p.at))
    .filter((m) => m.namespace === ns && (m.labels ? scale.selector !== undefined && matchesSelector(scale.selector, m.labels) : podNames.has(m.name)));
  const custom = ofKind('MetricValueList').flatMap((p) => parseCustomList(p.o, p.at));
  const external = ofKind('ExternalMetricValueList').flatMap((p) => parseExternalList(p.o, p.at));

  let history: HpaHistory = { recommendations: undefined, scaleUpEvents: [], scaleDownEvents: [] };
  for (const p of ofKind('HorizontalPodAutoscalerHistory')) {
    const h = parseHistory(p.o, p.at);
    if (h.name !== hpa.metadata.name || h.namespace !== ns) {
      throw errors.invalidValue(p.at.file, child(p.at, 'metadata').path, `the name and namespace of the HorizontalPodAutoscaler (${ns}/${hpa.metadata.name})`, `${h.namespace}/${h.name}`);
    }
    history = h.history;
  }

  const metrics: MetricsSource = {
    resource(resource, container) {
      if (podMetrics.length === 0) throw new MetricsApiError('no metrics returned from resource metrics API');
      const info: PodMetricsInfo = new Map();
      for (const m of podMetrics) {
        let value = 0;
        let missing = m.containers.length === 0;
        let found = container === '';
        for (const c of m.containers) {
          if (container !== '' && c.name !== container) continue;
          found = true;
          const q = c.usage[resource];
          if (q === undefined) {
            missing = true;
            break;
          }
          value += milliValue(q);
        }
        if (!missing && found) info.set(m.name, { value, timestamp: m.timestamp, window: m.window });
      }
      return info;
    },
    pods(metric) {
      const info: PodMetricsInfo = new Map();
      for (const i of custom) {
        if (i.kind === 'Pod' && i.metric === metric.name && (i.namespace ?? ns) === ns && podNames.has(i.name)) {
          info.set(i.name, { value: i.value, timestamp: i.timestamp, window: i.window });
        }
      }
      if (info.size === 0) throw new MetricsApiError('no metrics returned from custom metrics API');
      return info;
    },
    object(metric, described) {
      const item = custom.find((i) => i.kind === described.kind && i.name === described.name && i.metric === metric.name && (i.namespace ?? ns) === ns);
      if (!item) throw new MetricsApiError(`the server could not find the metric ${metric.name} for ${described.kind} ${described.name}`);
      return item.value;
    },
    external(metric) {
      const values = external
        .filter((i) => i.metricName === metric.name && (metric.selector === undefined || matchesSelector(metric.selector, i.metricLabels)))
        .map((i) => i.value);
      if (values.length === 0) throw new MetricsApiError('no metrics returned from external metrics API');
      return values;
    },
  };
  return { hpa, scale, pods: pods.map((p) => p.sample), metrics, history };
}

