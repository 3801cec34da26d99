/**
 * kube-proxy's view of the Services and their endpoints, built from Service and EndpointSlice
 * watches (pkg/proxy/servicechangetracker.go, endpointschangetracker.go). Only endpoints whose
 * `ready` condition is true receive new connections (pkg/proxy/topology.go CategorizeEndpoints
 * without terminating fallback).
 *
 * In the walking skeleton every node's kube-proxy applies a change the moment its watch
 * delivers it; the traffic issue adds per-node rule syncs (minSyncPeriod, sync cost), which
 * is where stale endpoints come from in real clusters.
 */
import type { ClusterContext } from '../api/context.js';
import { objectKey } from '../api/store.js';
import type { EndpointSlice, Service } from '../api/types.js';
import { SERVICE_NAME_LABEL } from '../controllers/endpointslice.js';

export interface Endpoint {
  podUid: string;
  nodeName: string;
  ip: string;
}

export interface ServiceEntry {
  /** Undefined while the Service does not exist. */
  service: Service | undefined;
  /** Ready endpoints, in slice order. */
  ready: Endpoint[];
}

export class ServiceTable {
  private readonly entries = new Map<string, ServiceEntry>();

  constructor(ctx: ClusterContext) {
    ctx.api.watch('Service', (type, svc) => {
      const e = this.entryFor(svc.metadata.namespace!, svc.metadata.name);
      if (type === 'DELETED') {
        e.service = undefined;
        e.ready = [];
      } else e.service = svc;
    });
    ctx.api.watch('EndpointSlice', (type, slice) => this.onSlice(type, slice));
  }

  get(namespace: string, name: string): ServiceEntry | undefined {
    return this.entries.get(objectKey(namespace, name));
  }

  /**
   * The stable entry of a Service, created empty if the Service is not there yet: callers on the
   * request path keep it instead of looking it up (and building its key) per request; the watch
   * updates it in place.
   */
  entryFor(namespace: string, name: string): ServiceEntry {
    const key = objectKey(namespace, name);
    let e = this.entries.get(key);
    if (!e) this.entries.set(key, (e = { service: undefined, ready: [] }));
    return e;
  }

  private onSlice(type: string, slice: EndpointSlice): void {
    const svcName = slice.metadata.labels?.[SERVICE_NAME_LABEL];
    if (!svcName) return;
    const entry = this.entries.get(objectKey(slice.metadata.namespace, svcName));
    if (!entry?.service) return;
    entry.ready =
      type === 'DELETED'
        ? []
        : slice.endpoints
            .filter((e) => e.conditions.ready && e.targetRef && e.nodeName)
            .map((e) => ({ podUid: e.targetRef!.uid, nodeName: e.nodeName!, ip: e.addresses[0]! }));
  }
}
