/**
 * Runs timeline commands against the API server as kubectl would: each is a request to the
 * API server, and what kubectl would print is recorded as an event (reason `Kubectl`, or
 * `KubectlError` with kubectl's own error text), so a run's event log shows who did what.
 */
import type { KubectlCommand } from '../scenario/kubectl.js';
import type { ClusterContext } from './context.js';
import { matchesSelector } from './labels.js';
import { deletePod } from './pod-lifecycle.js';

const RESOURCE_KIND = { deployment: 'Deployment', replicaset: 'ReplicaSet', pod: 'Pod' } as const;
const RESOURCE_PLURAL = { deployment: 'deployments.apps', replicaset: 'replicasets.apps', pod: 'pods' } as const;

export function runKubectl(ctx: ClusterContext, command: KubectlCommand, line: string): void {
  const involved = (name: string) => ({ kind: RESOURCE_KIND[command.resource], metadata: { name, namespace: command.namespace } });
  const ok = (name: string, what: string) => ctx.event('Normal', 'Kubectl', involved(name), `${line}: ${what}`);
  const notFound = (name: string) =>
    ctx.event('Warning', 'KubectlError', involved(name), `${line}: Error from server (NotFound): ${RESOURCE_PLURAL[command.resource]} "${name}" not found`);

  switch (command.verb) {
    case 'scale': {
      const kind = RESOURCE_KIND[command.resource];
      const name = command.name;
      if (!ctx.api.get(kind, command.namespace, name)) return notFound(name);
      ctx.api.update(kind, command.namespace, name, (obj) => {
        if (obj.spec.replicas === command.replicas) return false;
        obj.spec.replicas = command.replicas;
        obj.metadata.generation = (obj.metadata.generation ?? 1) + 1;
      });
      ok(name, `${command.resource === 'deployment' ? 'deployment.apps' : 'replicaset.apps'}/${name} scaled`);
      return;
    }
    case 'delete': {
      if (command.name !== undefined) {
        const pod = ctx.api.get('Pod', command.namespace, command.name);
        if (!pod) return notFound(command.name);
        deletePod(ctx, pod);
        ok(command.name, `pod "${command.name}" deleted`);
        return;
      }
      const selector = { matchLabels: command.selector ?? {} };
      const pods = ctx.api.list('Pod', command.namespace).filter((p) => matchesSelector(selector, p.metadata.labels));
      if (pods.length === 0) {
        ctx.event('Normal', 'Kubectl', involved(''), `${line}: No resources found in ${command.namespace} namespace.`);
        return;
      }
      for (const pod of pods) {
        if (pod.metadata.deletionTimestamp !== undefined) continue;
        deletePod(ctx, pod);
        ok(pod.metadata.name, `pod "${pod.metadata.name}" deleted`);
      }
      return;
    }
  }
}
