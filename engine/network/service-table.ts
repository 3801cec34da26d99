/**
 * kube-proxy's view of the Services and their endpoints, built from Service and EndpointSlice
 * watches (pkg/proxy/servicechangetracker.go, endpointschangetracker.go). Only endpoints whose
 * `ready` condition is true receive new connections (pkg/proxy/topology.go CategorizeEndpoints
 * without terminating fallback).
 *
 * This is the desired state, as the informers see it; each node's kube-proxy applies it to its
 * rules in its own syncs (kube-proxy.ts), which is where stale endpoints come from.
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
  /** Dense index of the entry, stable for the run (kube-proxy keeps per-Service state by it). */
  readonly index: number;
  /** Undefined while the Service does not exist. */
  service: Service | undefined;
  /** Ready endpoints, in slice order; replaced, never mutated, on a change (kube-proxy keeps snapshots). */
  ready: Endpoint[];
  /** UIDs of the pods in `ready`. */
  readyUids: ReadonlySet<string>;
}

export type ServiceChangeListener = (entry: ServiceEntry) => void;

export class ServiceTable {
  private readonly entries = new Map<string, ServiceEntry>();
  private readonly list: ServiceEntry[] = [];
  private readonly listeners: ServiceChangeListener[] = [];

  constructor(ctx: ClusterContext) {
    ctx.api.watch('Service', (type, svc) => {
      const e = this.entryFor(svc.metadata.namespace!, svc.metadata.name);
      if (type === 'DELETED') {
        e.service = undefined;
        this.setReady(e, []);
      } else e.service = svc;
      this.changed(e);
    });
    ctx.api.watch('EndpointSlice', (type, slice) => this.onSlice(type, slice));
  }

  /** Called after every change of a Service or its endpoints. */
  onChange(listener: ServiceChangeListener): void {
    this.listeners.push(listener);
  }

  /** Every entry, by index. */
  get all(): readonly ServiceEntry[] {
    return this.list;
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
    if (!e) {
      e = { index: this.list.length, service: undefined, ready: [], readyUids: new Set() };
      this.entries.set(key, e);
      this.list.push(e);
    }
    return e;
  }

  private onSlice(type: string, slice: EndpointSlice): void {
    const svcName = slice.metadata.labels?.[SERVICE_NAME_LABEL];
    if (!svcName) return;
    const entry = this.entries.get(objectKey(slice.metadata.namespace, svcName));
    if (!entry?.service) return;
    this.setReady(
      entry,
      type === 'DELETED'
        ? []
        : slice.endpoints
            .filter((e) => e.conditions.ready && e.targetRef && e.nodeName)
            .map((e) => ({ podUid: e.targetRef!.uid, nodeName: e.nodeName!, ip: e.addresses[0]! })),
    );
    this.changed(entry);
  }

  private setReady(entry: ServiceEntry, ready: Endpoint[]): void {
    entry.ready = ready;
    entry.readyUids = new Set(ready.map((e) => e.podUid));
  }

  private changed(entry: ServiceEntry): void {
    for (const l of this.listeners) l(entry);
  }
}
