/**
 * The `kubernetes` Service in `default`, which kube-apiserver creates for itself at start-up
 * and keeps (pkg/controlplane/controller/kubernetesservice/controller.go
 * CreateOrUpdateMasterServiceIfNeeded, run every EndpointInterval): ClusterIP, the first
 * address of the service CIDR (ServiceIPRange index 1, e.g. 10.96.0.1), port 443 named https
 * to the apiserver's secure port 6443, no selector (its endpoints are the apiservers, kept by
 * the endpoint reconciler, which kubesim does not model: nothing in a scenario routes to it),
 * labels component=apiserver and provider=kubernetes. Deleted, it is created again at the
 * controller's next tick.
 */
import type { ClusterContext } from './context.js';
import type { Service } from './types.js';

export const KUBERNETES_SERVICE_NAMESPACE = 'default';
export const KUBERNETES_SERVICE_NAME = 'kubernetes';
/** --secure-port default, the port the Service forwards to. */
const SECURE_PORT = 6443;
/** reconcilers.DefaultEndpointReconcilerInterval: how often the controller makes sure the Service exists. */
export const ENDPOINT_INTERVAL = 10;

/** The Service as the controller creates it, at `clusterIP` (the first address of the range). */
export function kubernetesService(clusterIP: string): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: KUBERNETES_SERVICE_NAME, namespace: KUBERNETES_SERVICE_NAMESPACE, labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: {
      type: 'ClusterIP',
      ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: SECURE_PORT }],
      clusterIP,
      ipFamilyPolicy: 'SingleStack',
      sessionAffinity: 'None',
    },
  };
}

/** Creates the Service now (the apiserver's start), and again at the next tick after it is deleted. */
export function startKubernetesServiceController(ctx: ClusterContext): void {
  const clusterIP = ctx.api.serviceAllocators.range.at(0);
  const ensure = () => {
    if (!ctx.api.get('Service', KUBERNETES_SERVICE_NAMESPACE, KUBERNETES_SERVICE_NAME)) ctx.api.create(kubernetesService(clusterIP));
  };
  ensure();
  ctx.api.watch('Service', (type, svc) => {
    if (type !== 'DELETED' || svc.metadata.namespace !== KUBERNETES_SERVICE_NAMESPACE || svc.metadata.name !== KUBERNETES_SERVICE_NAME) return;
    // wait.NonSlidingUntil from the apiserver's start: ticks at 0, 10 s, 20 s, ...
    const next = (Math.floor(ctx.sim.now / ENDPOINT_INTERVAL) + 1) * ENDPOINT_INTERVAL;
    ctx.sim.schedule(next, ensure);
  });
}
