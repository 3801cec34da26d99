/**
 * The cloud-controller-manager's service controller writing the LoadBalancer status
 * (k8s.io/cloud-provider controllers/service/controller.go syncLoadBalancerIfNeeded): events
 * `EnsuringLoadBalancer` then `EnsuredLoadBalancer` around the provider's EnsureLoadBalancer,
 * and the status patch `status.loadBalancer.ingress: [{ip}]` with the address the provider
 * returned (see cloudLoadBalancerAddresses); the API server defaults `ipMode: VIP`, and
 * `kubectl get svc` shows it as EXTERNAL-IP (`<pending>` until then). MetalLB has its own
 * controller (metallb-controller.ts).
 *
 * It reacts to Service watch events, so the status lands one write after the Service does,
 * in the order the Services were created. A Service that stops being a LoadBalancer loses the
 * status in the API server itself (service-defaults.ts dropTypeDependentFields). Provisioning
 * time is not modelled: the data path already serves the address from the start of the run.
 */
import type { ClusterContext } from '../api/context.js';
import { objectKey } from '../api/store.js';
import type { Service } from '../api/types.js';

export interface LoadBalancerImplementation {
  /** The address the implementation gives this Service, or undefined when it has none for it. */
  addressOf(svc: Service): string | undefined;
  /** Records the implementation's events when it assigns `ip`. */
  assigned(svc: Service, ip: string): void;
}

export class LoadBalancerStatusController {
  /** Services whose status write is in flight, so a watch event meanwhile does not write (and record) twice. */
  private readonly writing = new Set<string>();

  constructor(
    private readonly ctx: ClusterContext,
    private readonly impl: LoadBalancerImplementation,
  ) {
    ctx.api.watch('Service', (type, svc) => {
      if (type !== 'DELETED') this.sync(svc);
    });
  }

  private sync(svc: Service): void {
    const key = objectKey(svc.metadata.namespace, svc.metadata.name);
    if (this.writing.has(key)) return;
    const ip = this.impl.addressOf(svc);
    if (ip === undefined) return;
    const current = svc.status?.loadBalancer?.ingress ?? [];
    if (svc.spec.type !== 'LoadBalancer' || (current.length === 1 && current[0]!.ip === ip)) return;
    this.impl.assigned(svc, ip);
    this.writing.add(key);
    const { namespace, name, uid } = svc.metadata;
    this.ctx.api.update(
      'Service',
      namespace,
      name,
      (s) => {
        if (s.metadata.uid !== uid) return false;
        s.status = { ...s.status, loadBalancer: { ingress: [{ ip }] } };
      },
      () => this.writing.delete(key),
    );
  }
}
