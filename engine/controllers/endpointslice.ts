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
import type { EndpointSlice, Service } from '../api/types.js';
import { WorkQueue } from './work-queue.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export class EndpointSliceController {
  private readonly queue: WorkQueue;

  constructor(private readonly ctx: ClusterContext) {
    this.queue = new WorkQueue(ctx.sim, (key) => this.sync(key));
    ctx.api.watch('Service', (_type, svc) => this.queue.add(objectKey(svc.metadata.namespace, svc.metadata.name)));
    ctx.api.watch('Pod', (_type, pod) => {
      for (const svc of ctx.api.list('Service', pod.metadata.namespace)) {
        if (matchesMap(svc.spec.selector, pod.metadata.labels)) {
          this.queue.add(objectKey(svc.metadata.namespace, svc.metadata.name));
        }
      }
    });
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
    if (JSON.stringify(existing.endpoints) === JSON.stringify(endpoints)) return;
    this.ctx.api.update('EndpointSlice', namespace, sliceName, (s) => {
      s.endpoints = endpoints;
      s.ports = ports;
    });
  }

  private endpointsOf(svc: Service): EndpointSlice['endpoints'] {
    const out: EndpointSlice['endpoints'] = [];
    for (const pod of this.ctx.api.list('Pod', svc.metadata.namespace)) {
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
