/**
 * The Node object and its Lease, as the kubelet writes them: registration (Node Ready, Lease
 * created), Lease renewals, and Ready posted again after the node lifecycle controller marked
 * it Unknown. When these run is the kubelet's business (engine/node/kubelet.ts).
 */
import type { ClusterContext } from '../api/context.js';
import { NODE_LEASE_NAMESPACE, type Node } from '../api/types.js';

/** Creates the Node, Ready, and its Lease in kube-node-lease. */
export function registerNode(ctx: ClusterContext, node: Node): void {
  const now = ctx.sim.now;
  node.status.conditions = [
    { type: 'Ready', status: 'True', lastHeartbeatTime: now, lastTransitionTime: now, reason: 'KubeletReady', message: 'kubelet is posting ready status' },
  ];
  ctx.api.create(node);
  const { nodeLeaseDurationSeconds } = ctx.defaults.kubelet;
  ctx.api.create({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: node.metadata.name, namespace: NODE_LEASE_NAMESPACE },
    spec: { holderIdentity: node.metadata.name, leaseDurationSeconds: nodeLeaseDurationSeconds, renewTime: now },
  });
}

export function renewLease(ctx: ClusterContext, node: Node): void {
  const at = ctx.sim.now;
  ctx.api.update('Lease', NODE_LEASE_NAMESPACE, node.metadata.name, (l) => {
    l.spec.renewTime = at;
  });
}

/** Posts the Node's Ready condition True (a transition if it was not). */
export function reportNodeReady(ctx: ClusterContext, node: Node): void {
  const now = ctx.sim.now;
  ctx.api.update('Node', undefined, node.metadata.name, (n) => {
    const c = n.status.conditions?.find((x) => x.type === 'Ready');
    if (!c) return false;
    if (c.status !== 'True') c.lastTransitionTime = now;
    Object.assign(c, { status: 'True', lastHeartbeatTime: now, reason: 'KubeletReady', message: 'kubelet is posting ready status' });
  });
}
