/**
 * `kubectl get -o json|yaml`: objects as the API server serves them, printed as kubectl's
 * printers print them (k8s.io/cli-runtime/pkg/printers json.go, yaml.go). kubectl get reads
 * objects unstructured, so both printers see maps and write keys in sorted order:
 * JSONPrinter is Go's json.MarshalIndent with four spaces (HTML characters escaped as Go
 * escapes them) and a final newline; YAMLPrinter is sigs.k8s.io/yaml, go-yaml v2 underneath:
 * YAML 1.1 quoting ("123", "yes", timestamps quoted), sequences not indented under their key.
 *
 * kubesim keeps times as seconds since the start of the run; on the way out they become
 * metav1.Time, RFC 3339 at whole seconds (metav1.Time drops the fraction), with the run starting
 * at 1970-01-01T00:00:00Z, so a creationTimestamp reads as the simulated time it was created.
 */
import { stringify } from 'yaml';
import { formatRfc3339 } from '../controllers/hpa/rfc3339.js';

/** The metav1.Time fields of the objects kubesim serves (ObjectMeta, conditions, container states, taints, events). */
const TIME_FIELDS: ReadonlySet<string> = new Set([
  'creationTimestamp',
  'deletionTimestamp',
  'lastTransitionTime',
  'lastHeartbeatTime',
  'lastProbeTime',
  'lastUpdateTime',
  'lastScaleTime',
  'startTime',
  'startedAt',
  'finishedAt',
  'timeAdded',
  'firstTimestamp',
  'lastTimestamp',
]);

/** A JSON value of the object: times as RFC 3339, absent fields left out, keys sorted. */
export function apiObject(value: unknown, key = ''): unknown {
  if (typeof value === 'number' && TIME_FIELDS.has(key)) return formatRfc3339(Math.floor(value));
  if (Array.isArray(value)) return value.map((v) => apiObject(v));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = apiObject(v, k);
    }
    return out;
  }
  return value;
}

/** What kubectl get prints for several objects (or none): a v1 List (get.go printGeneric). */
export function listOf(items: readonly unknown[]): unknown {
  return { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
}

/** JSONPrinter: json.MarshalIndent(obj, "", "    "), with Go's HTML-safe escaping. */
export function printJson(value: unknown): string {
  const text = JSON.stringify(value, null, 4).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `${text}\n`;
}

/** YAMLPrinter: sigs.k8s.io/yaml's layout. */
export function printYaml(value: unknown): string {
  return stringify(value, { version: '1.1', indentSeq: false, lineWidth: 0 });
}
