/**
 * What kubectl prints, recorded as events so a run's event log shows who did what: reason
 * `Kubectl` for normal output, `KubectlError` for kubectl's error text.
 */
import type { ClusterContext } from '../api/context.js';

export interface Target {
  kind: string;
  namespace: string;
  name: string;
}

export function print(ctx: ClusterContext, target: Target, line: string, output: string): void {
  ctx.event('Normal', 'Kubectl', { kind: target.kind, metadata: { name: target.name, namespace: target.namespace } }, `${line}: ${output}`);
}

export function printError(ctx: ClusterContext, target: Target, line: string, output: string): void {
  ctx.event('Warning', 'KubectlError', { kind: target.kind, metadata: { name: target.name, namespace: target.namespace } }, `${line}: ${output}`);
}

/** kubectl's NotFound text: `Error from server (NotFound): deployments.apps "web" not found`. */
export function notFound(ctx: ClusterContext, target: Target, line: string): void {
  const plural =
    {
      Deployment: 'deployments.apps',
      ReplicaSet: 'replicasets.apps',
      StatefulSet: 'statefulsets.apps',
      DaemonSet: 'daemonsets.apps',
      Pod: 'pods',
      Service: 'services',
      Node: 'nodes',
      PersistentVolumeClaim: 'persistentvolumeclaims',
      PersistentVolume: 'persistentvolumes',
    }[target.kind] ?? target.kind.toLowerCase();
  printError(ctx, target, line, `Error from server (NotFound): ${plural} "${target.name}" not found`);
}

/**
 * Multi-line output (`kubectl get` tables): written whole to the observer's snapshot stream
 * (snapshots.txt), headed by the time and the command; an observer without `snapshot` drops it.
 */
export function printTable(ctx: ClusterContext, line: string, text: string): void {
  ctx.observer.snapshot?.(ctx.sim.now, line, text);
}
