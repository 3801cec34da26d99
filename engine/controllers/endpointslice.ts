/**
 * The EndpointSlice controller (pkg/controller/endpointslice): for each Service with a
 * selector, one EndpointSlice listing the matching pods that have an IP, with their
 * ready/serving/terminating conditions (upstream podToEndpoint: ready = pod Ready and not
 * terminating; serving = pod Ready; terminating = deletionTimestamp set). Slices are written
 * only when their content changes. One slice per Service holds up to 100 endpoints upstream
 * (--max-endpoints-per-slice); splitting is not modelled because nothing here depends on it.
 */
import type { ClusterContext } from '../api/context.js';
import { matchesMap } from '../api/labels.js';
import { isPodReady, isTerminating } from '../api/pod-lifecycle.js';
import { objectKey } from '../api/store.js';
import type { EndpointSlice, Labels, Pod, Service } from '../api/types.js';
import { WorkQueue } from './work-queue.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/**
 * The label pair a selector is indexed under: its smallest key (any pair would do; the smallest
 * makes the choice deterministic). A Service selects a pod only if the pod has this pair.
 */
function anchorOf(namespace: string, selector: Labels | undefined): string | undefined {
  if (!selector) return undefined;
  const keys = Object.keys(selector);
  if (keys.length === 0) return undefined;
  const key = keys.reduce((a, b) => (b < a ? b : a));
  return `${namespace}\0${key}=${selector[key]}`;
}

/** Field-by-field equality of two endpoint lists (a sync runs per Service per pod event: no serialization). */
function sameEndpoints(a: EndpointSlice['endpoints'], b: EndpointSlice['endpoints']): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (
      x.addresses[0] !== y.addresses[0] ||
      x.nodeName !== y.nodeName ||
      x.targetRef?.uid !== y.targetRef?.uid ||
      x.conditions.ready !== y.conditions.ready ||
      x.conditions.serving !== y.conditions.serving ||
      x.conditions.terminating !== y.conditions.terminating
    ) {
      return false;
    }
  }
  return true;
}

function pairsOf(pod: Pod): string[] {
  const ns = pod.metadata.namespace!;
  return Object.entries(pod.metadata.labels ?? {}).map(([k, v]) => `${ns}\0${k}=${v}`);
}

export class EndpointSliceController {
  private readonly queue: WorkQueue;
  /**
   * Informer indexes, kept from the watches: Services by the label pair their selector is
   * anchored on, pods by each of their label pairs. A pod event then touches only the Services
   * that could select it, and a sync only the pods that could match, instead of listing every
   * Service per pod event and every pod per sync (3,000 Services made that quadratic).
   */
  private readonly servicesByAnchor = new Map<string, Set<string>>();
  private readonly anchorOfService = new Map<string, string>();
  private readonly podsByPair = new Map<string, Map<string, Pod>>();
  private readonly pairsOfPod = new Map<string, string[]>();

  constructor(private readonly ctx: ClusterContext) {
    this.queue = new WorkQueue(ctx.sim, (key) => this.sync(key));
    ctx.api.watch('Service', (type, svc) => this.onService(type, svc));
    ctx.api.watch('Pod', (type, pod) => this.onPod(type, pod));
  }

  private onService(type: string, svc: Service): void {
    const key = objectKey(svc.metadata.namespace, svc.metadata.name);
    const old = this.anchorOfService.get(key);
    const anchor = type === 'DELETED' ? undefined : anchorOf(svc.metadata.namespace!, svc.spec.selector);
    if (old !== anchor) {
      if (old !== undefined) this.servicesByAnchor.get(old)?.delete(key);
      if (anchor !== undefined) {
        let set = this.servicesByAnchor.get(anchor);
        if (!set) this.servicesByAnchor.set(anchor, (set = new Set()));
        set.add(key);
        this.anchorOfService.set(key, anchor);
      } else this.anchorOfService.delete(key);
    }
    this.queue.add(key);
  }

  private onPod(type: string, pod: Pod): void {
    const uid = pod.metadata.uid!;
    const before = this.pairsOfPod.get(uid) ?? [];
    const after = type === 'DELETED' ? [] : pairsOf(pod);
    for (const pair of before) if (!after.includes(pair)) this.podsByPair.get(pair)?.delete(uid);
    for (const pair of after) {
      let pods = this.podsByPair.get(pair);
      if (!pods) this.podsByPair.set(pair, (pods = new Map()));
      pods.set(uid, pod); // an existing entry keeps its place: endpoint order stays creation order
    }
    if (after.length > 0) this.pairsOfPod.set(uid, after);
    else this.pairsOfPod.delete(uid);
    // Services that selected the pod before or select it now.
    const seen = new Set<string>();
    for (const pair of [...before, ...after]) {
      for (const key of this.servicesByAnchor.get(pair) ?? []) {
        if (seen.has(key)) continue;
        seen.add(key);
        this.queue.add(key);
      }
    }
  }

  get workQueue(): WorkQueue {
    return this.queue;
  }

  private sync(key: string): void {
    const [namespace, name] = key.split('/') as [string, string];
    const svc = this.ctx.api.get('Service', namespace, name);
    const sliceName = name;
    const existing = this.ctx.api.get('EndpointSlice', namespace, sliceName);
    if (!svc || !svc.spec.selector) {
      if (existing) this.ctx.api.delete('EndpointSlice', namespace, sliceName);
      return;
    }
    const endpoints = this.endpointsOf(svc);
    const ports = svc.spec.ports.map((p) => ({
      name: p.name,
      port: typeof p.targetPort === 'number' ? p.targetPort : p.port,
      protocol: p.protocol ?? 'TCP',
    }));
    if (!existing) {
      const slice: EndpointSlice = {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: sliceName, namespace, labels: { [SERVICE_NAME_LABEL]: name } },
        addressType: 'IPv4',
        endpoints,
        ports,
      };
      this.ctx.api.create(slice);
      return;
    }
    if (sameEndpoints(existing.endpoints, endpoints)) return;
    this.ctx.api.update('EndpointSlice', namespace, sliceName, (s) => {
      s.endpoints = endpoints;
      s.ports = ports;
    });
  }

  private endpointsOf(svc: Service): EndpointSlice['endpoints'] {
    const out: EndpointSlice['endpoints'] = [];
    const anchor = anchorOf(svc.metadata.namespace!, svc.spec.selector);
    for (const pod of anchor === undefined ? [] : (this.podsByPair.get(anchor)?.values() ?? [])) {
      if (!matchesMap(svc.spec.selector, pod.metadata.labels)) continue;
      const ip = pod.status?.podIP;
      if (!ip) continue;
      const ready = isPodReady(pod);
      const terminating = isTerminating(pod);
      out.push({
        addresses: [ip],
        conditions: { ready: ready && !terminating, serving: ready, terminating },
        nodeName: pod.spec.nodeName,
        targetRef: { kind: 'Pod', namespace: pod.metadata.namespace!, name: pod.metadata.name, uid: pod.metadata.uid! },
      });
    }
    return out;
  }
}
