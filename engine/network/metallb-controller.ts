/**
 * MetalLB's controller (controller/main.go SetBalancer; internal/k8s/controllers
 * service_controller.go and service_controller_reload.go): it watches Services through the API
 * server and, for each change, converges the Service (metallb-converge.ts) with its one allocator
 * (metallb-allocator.ts), then writes what changed, `status.loadBalancer.ingress` and the
 * `metallb.io/ip-allocated-from-pool` annotation, in one update of the status (the status
 * strategy keeps metadata changes; pkg/registry/core/service/strategy.go), as upstream's
 * UpdateStatus does, carrying the resourceVersion it read.
 *
 * Retries, as upstream: a Service that failed to converge (AllocationFailed) is not retried on
 * its own (SyncStateErrorNoRetry); it is converged again when it changes, and when the
 * controller reprocesses every Service (SyncStateReprocessAll), which it does after a Service
 * holding an address is deleted and after a Service's address is released (type changed, a
 * request changed) while that address is still in a pool. Reprocessing takes the Services
 * that have an address first (service_controller_reload.go reprocessAll), then the others; in
 * creation order within each group, kubesim's choice (upstream lists its informer cache, in no
 * defined order), so the oldest waiting Service gets a freed address first. Upstream's
 * work queue runs the reprocessing right after the sync that asked for it; kubesim runs it at
 * once, in the same instant. A status write that fails (a Conflict with a concurrent write) is
 * retried when its answer comes back (upstream requeues it with a few milliseconds' backoff).
 *
 * Services it leaves alone: those with `spec.loadBalancerClass` (upstream runs without
 * --lb-class, so filterByLoadBalancerClass skips every class), and those a load reaches through
 * a cloud load balancer (`ignores`: kubesim's stand-in for a class, their status is the cloud
 * service controller's, engine/network/load-balancer-status.ts).
 *
 * When it deletes a deprecated `metallb.universe.tf/...` annotation with a write, it records the
 * Warning `deprecatedAnnotation` "Service uses deprecated annotation KEY" (SetBalancer), in key
 * order (upstream ranges over the annotation map).
 */
import type { ClusterContext } from '../api/context.js';
import type { Service } from '../api/types.js';
import { MetalLbAllocator } from './metallb-allocator.js';
import { convergeBalancer } from './metallb-converge.js';
import type { MetalLbPool } from './metallb-pools.js';
import { DEPRECATED_ANNOTATION_PREFIX } from './metallb-requests.js';

type SyncState = 'success' | 'errorNoRetry' | 'reprocessAll';

function keyOf(svc: Service): string {
  return `${svc.metadata.namespace ?? 'default'}/${svc.metadata.name}`;
}

function ingressIPs(svc: Service): string[] {
  return (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? '');
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function sameAnnotations(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  const x = Object.entries(a ?? {});
  return x.length === Object.keys(b ?? {}).length && x.every(([k, v]) => b?.[k] === v);
}

export interface MetalLbControllerOptions {
  /** Services another implementation serves (kubesim: a load's cloud load balancer). */
  ignores?: (svc: Service) => boolean;
}

export class MetalLbController {
  readonly allocator: MetalLbAllocator;
  /** Services whose status write is in flight: a watch event meanwhile carries the state before it, so it waits for the write's own event. */
  private readonly writing = new Set<string>();
  private readonly ignores: (svc: Service) => boolean;

  constructor(
    private readonly ctx: ClusterContext,
    pools: readonly MetalLbPool[],
    options: MetalLbControllerOptions = {},
  ) {
    this.allocator = new MetalLbAllocator(pools);
    this.ignores = options.ignores ?? (() => false);
    ctx.api.watch('Service', (type, svc) => {
      const state = type === 'DELETED' ? this.deleted(keyOf(svc)) : this.handles(svc) ? this.setBalancer(svc) : 'success';
      if (state === 'reprocessAll') this.reprocessAll();
    });
  }

  private handles(svc: Service): boolean {
    return svc.spec.loadBalancerClass == null && !this.ignores(svc);
  }

  /** SetBalancer for a deleted Service: its address is free; waiting Services may take it now. */
  private deleted(key: string): SyncState {
    return this.allocator.unassign(key) ? 'reprocessAll' : 'success';
  }

  /** SetBalancer: converge a copy of the Service, write what changed. */
  private setBalancer(stored: Service): SyncState {
    const key = keyOf(stored);
    if (this.writing.has(key)) return 'success';
    const svc = structuredClone(stored);
    const prevIPs = this.allocator.ips(key);
    const record = (type: 'Normal' | 'Warning', reason: string, message: string) => this.ctx.event(type, reason, stored, message);
    let state: SyncState = convergeBalancer(this.allocator, key, svc, record) ? 'success' : 'errorNoRetry';
    if (sameStrings(ingressIPs(stored), ingressIPs(svc)) && sameAnnotations(stored.metadata.annotations, svc.metadata.annotations)) return state;
    for (const annotation of Object.keys(stored.metadata.annotations ?? {}).sort()) {
      if (!annotation.startsWith(DEPRECATED_ANNOTATION_PREFIX)) continue;
      record('Warning', 'deprecatedAnnotation', `Service uses deprecated annotation ${annotation}`);
      delete svc.metadata.annotations![annotation];
    }
    // Released an address a pool still holds: it may be what a waiting Service needs.
    if (prevIPs && this.allocator.pool(key) === '' && this.allocator.poolFor(prevIPs)) state = 'reprocessAll';
    this.write(key, stored, svc);
    return state;
  }

  private write(key: string, stored: Service, converged: Service): void {
    const { namespace, name, resourceVersion } = stored.metadata;
    const annotations = converged.metadata.annotations ?? {};
    const loadBalancer = converged.status?.loadBalancer ?? {};
    this.writing.add(key);
    this.ctx.api.update(
      'Service',
      namespace,
      name,
      (s) => {
        s.status = { ...s.status, loadBalancer: structuredClone(loadBalancer) };
        if (Object.keys(annotations).length > 0) s.metadata.annotations = { ...annotations };
        else delete s.metadata.annotations;
      },
      (result) => {
        this.writing.delete(key);
        if (result === 'ok') return;
        // Someone wrote first: converge again from what is stored now.
        const current = this.ctx.api.get('Service', namespace, name);
        if (current && this.handles(current) && this.setBalancer(current) === 'reprocessAll') this.reprocessAll();
      },
      resourceVersion,
    );
  }

  /** reprocessAll: every Service again, those with an address first, until none asks for another round. */
  private reprocessAll(): void {
    let again = true;
    while (again) {
      again = false;
      const services = this.ctx.api.list('Service').filter((s) => this.handles(s));
      // Array.prototype.sort is stable: creation order within each group.
      services.sort((a, b) => (b.status?.loadBalancer?.ingress?.length ?? 0) - (a.status?.loadBalancer?.ingress?.length ?? 0));
      for (const svc of services) if (this.setBalancer(svc) === 'reprocessAll') again = true;
    }
  }
}
