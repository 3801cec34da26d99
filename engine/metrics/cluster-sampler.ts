/**
 * Cluster-state rows of timeseries.csv, read from the API server at each sample instant:
 * pods by phase (and ready, terminating), Deployment replicas desired/updated/ready/available,
 * DaemonSet pods desired/scheduled/ready, StatefulSet replicas desired/current/ready, and per
 * node the CPU and memory requested over allocatable, the pod count, Ready and
 * SchedulingDisabled.
 */
import type { ApiServer } from '../api/store.js';
import { isPodReady, isTerminating } from '../api/pod-lifecycle.js';
import { parseBytes, parseCpuMilli } from '../api/quantity.js';
import { podRequests } from '../api/resources.js';
import type { PodPhase } from '../api/types.js';
import type { Observer } from './observer.js';

const PHASES: PodPhase[] = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'];

export function sampleCluster(api: ApiServer, time: number, observer: Observer): void {
  const pods = api.list('Pod');
  const byPhase = new Map<PodPhase, number>(PHASES.map((p) => [p, 0]));
  let ready = 0;
  let terminating = 0;
  const perNode = new Map<string, { cpu: number; mem: number; pods: number }>();
  for (const pod of pods) {
    const phase = pod.status?.phase ?? 'Pending';
    byPhase.set(phase, byPhase.get(phase)! + 1);
    if (isPodReady(pod)) ready++;
    if (isTerminating(pod)) terminating++;
    const node = pod.spec.nodeName;
    if (node) {
      const req = podRequests(pod.spec);
      const acc = perNode.get(node) ?? { cpu: 0, mem: 0, pods: 0 };
      acc.cpu += req.cpuMilli;
      acc.mem += req.memoryBytes;
      acc.pods++;
      perNode.set(node, acc);
    }
  }
  const cluster = (metric: string, value: number) => observer.sample(time, 'Cluster', '', '', metric, value);
  for (const phase of PHASES) cluster(`pods_${phase.toLowerCase()}`, byPhase.get(phase)!);
  cluster('pods_ready', ready);
  cluster('pods_terminating', terminating);

  for (const d of api.list('Deployment')) {
    const emit = (metric: string, value: number) => observer.sample(time, 'Deployment', d.metadata.namespace!, d.metadata.name, metric, value);
    emit('replicas_desired', d.spec.replicas ?? 1);
    emit('replicas_updated', d.status?.updatedReplicas ?? 0);
    emit('replicas_ready', d.status?.readyReplicas ?? 0);
    emit('replicas_available', d.status?.availableReplicas ?? 0);
  }

  for (const ds of api.list('DaemonSet')) {
    const emit = (metric: string, value: number) => observer.sample(time, 'DaemonSet', ds.metadata.namespace!, ds.metadata.name, metric, value);
    emit('replicas_desired', ds.status?.desiredNumberScheduled ?? 0);
    emit('replicas_scheduled', ds.status?.currentNumberScheduled ?? 0);
    emit('replicas_ready', ds.status?.numberReady ?? 0);
  }

  for (const sts of api.list('StatefulSet')) {
    const emit = (metric: string, value: number) => observer.sample(time, 'StatefulSet', sts.metadata.namespace!, sts.metadata.name, metric, value);
    emit('replicas_desired', sts.spec.replicas ?? 1);
    emit('replicas_current', sts.status?.replicas ?? 0);
    emit('replicas_ready', sts.status?.readyReplicas ?? 0);
  }

  for (const node of api.list('Node')) {
    const name = node.metadata.name;
    const acc = perNode.get(name) ?? { cpu: 0, mem: 0, pods: 0 };
    const cpuAlloc = parseCpuMilli(node.status.allocatable.cpu ?? 0);
    const memAlloc = parseBytes(node.status.allocatable.memory ?? 0);
    const emit = (metric: string, value: number) => observer.sample(time, 'Node', '', name, metric, value);
    emit('cpu_requested_ratio', cpuAlloc === 0 ? 0 : acc.cpu / cpuAlloc);
    emit('memory_requested_ratio', memAlloc === 0 ? 0 : acc.mem / memAlloc);
    emit('pods', acc.pods);
    // The STATUS column of `kubectl get nodes`: Ready (1) or not, and SchedulingDisabled (cordoned).
    emit('ready', node.status.conditions?.find((c) => c.type === 'Ready')?.status === 'True' ? 1 : 0);
    emit('scheduling_disabled', node.spec.unschedulable ? 1 : 0);
  }
}
