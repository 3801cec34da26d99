/**
 * Carries out fault actions on the running cluster, with the consequences Kubernetes has:
 *  - node failure: containers gone, requests to and through the node vanish (clients time
 *    out), the node goes NotReady after the grace period and its pods are evicted after their
 *    tolerations (300 s by default), then recreated elsewhere by their controllers;
 *  - kube-proxy down on a node: its rules stay as last synced, so it keeps routing to endpoints
 *    that may be gone, until it starts again and resyncs;
 *  - kubelet down: the node's pods keep serving but nothing there is managed, and the node
 *    goes NotReady (so its pods leave the endpoints);
 *  - scheduler down: new pods stay Pending; controller-manager down: no self-healing or
 *    scaling; API server down: no change propagates while running pods keep serving;
 *  - pod crash: the container exits with an error, its in-flight requests are reset, and the
 *    kubelet restarts it with the CrashLoopBackOff back-off; pod hang: the app answers nothing
 *    (requests time out) until a liveness probe restarts it or the pod is deleted.
 * Each action is recorded as an event (reason `Kubesim`).
 */
import type { ClusterContext } from '../api/context.js';
import type { Kubelet } from '../node/kubelet.js';
import type { FaultCommand } from './command.js';

export interface Switch {
  stop(): void;
  start(): void;
}

/** What fault actions reach: nothing else in the engine holds these all at once. */
export interface ClusterHandles {
  kubelets: ReadonlyMap<string, Kubelet>;
  kubeProxies: ReadonlyMap<string, Switch>;
  nodeIndex: ReadonlyMap<string, number>;
  /** Shared with the load generators: 1 while a node is down. */
  nodeDown: Uint8Array;
  scheduler: Switch;
  controllerManager: Switch;
  apiServer: Switch;
}

const DESCRIPTION: Record<string, string> = {
  'fail node': 'the machine is powered off',
  'recover node': 'the machine boots again',
  'stop kubelet': 'the kubelet process stops; its containers keep running',
  'start kubelet': 'the kubelet process starts again',
  'stop kube-proxy': "kube-proxy stops: the node's rules stay as last synced",
  'start kube-proxy': 'kube-proxy starts again and resyncs its rules',
  'stop scheduler': 'kube-scheduler stops: new pods stay Pending',
  'start scheduler': 'kube-scheduler starts again',
  'stop controller-manager': 'kube-controller-manager stops: no reconciliation',
  'start controller-manager': 'kube-controller-manager starts again',
  'stop apiserver': 'kube-apiserver stops: no change propagates',
  'start apiserver': 'kube-apiserver starts again',
  'crash pod': 'the container exits with an error',
  'hang pod': 'the application stops answering',
};

export function runFault(ctx: ClusterContext, h: ClusterHandles, c: FaultCommand, line: string): void {
  const what = DESCRIPTION[`${c.verb} ${c.target}`]!;
  if (c.target === 'pod') {
    const involved = { kind: 'Pod', metadata: { name: c.name, namespace: c.namespace } };
    const pod = ctx.api.get('Pod', c.namespace, c.name);
    const kubelet = pod?.spec.nodeName === undefined ? undefined : h.kubelets.get(pod.spec.nodeName);
    const done = pod && kubelet && (c.verb === 'crash' ? kubelet.crash(pod.metadata.uid!, c.container) : kubelet.hang(pod.metadata.uid!));
    if (!pod) return ctx.event('Warning', 'KubesimError', involved, `${line}: pod "${c.name}" not found in namespace ${c.namespace}`);
    if (!done) {
      const container = c.container === undefined ? '' : ` container ${c.container}`;
      return ctx.event('Warning', 'KubesimError', involved, `${line}: pod "${c.name}"${container} is not running`);
    }
    ctx.event('Warning', 'Kubesim', involved, `${line}: ${what}`);
    return;
  }
  if ('node' in c) {
    const kubelet = h.kubelets.get(c.node)!;
    ctx.event('Warning', 'Kubesim', { kind: 'Node', metadata: { name: c.node } }, `${line}: ${what}`);
    if (c.target === 'kube-proxy') {
      const proxy = h.kubeProxies.get(c.node)!;
      if (c.verb === 'stop') proxy.stop();
      else proxy.start();
      return;
    }
    const index = h.nodeIndex.get(c.node)!;
    if (c.verb === 'fail') {
      h.nodeDown[index] = 1;
      kubelet.fail();
    } else if (c.verb === 'recover') {
      h.nodeDown[index] = 0;
      kubelet.recover();
    } else if (c.verb === 'stop') kubelet.stop();
    else kubelet.start();
    return;
  }
  const component = { scheduler: h.scheduler, 'controller-manager': h.controllerManager, apiserver: h.apiServer }[c.target];
  ctx.event('Warning', 'Kubesim', { kind: 'Cluster', metadata: { name: c.target } }, `${line}: ${what}`);
  if (c.verb === 'stop') component.stop();
  else component.start();
}
