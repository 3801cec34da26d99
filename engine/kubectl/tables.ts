/**
 * `kubectl get` tables, with the columns and cell rules of kubectl's printers
 * (pkg/printers/internalversion/printers.go: printPod, printNode, printDeployment,
 * printReplicaSet, printStatefulSet, printDaemonSet, printService,
 * printPersistentVolumeClaim, printPersistentVolume; the others in tables-autoscaling.ts and
 * tables-network.ts), laid out as kubectl's tabwriter does
 * (columns padded to the widest cell plus 3 spaces, no trailing blanks).
 */
import { formatSelector } from '../api/labels.js';
import type { Deployment, KubeObject, LabelSelector, Node, Pod, ReplicaSet, Service } from '../api/types.js';
import type { DaemonSet, StatefulSet } from '../api/workload-types.js';
import type { PersistentVolume, PersistentVolumeClaim } from '../api/storage-types.js';
import type { Resource } from './args.js';
import { humanDuration } from './age.js';
import { horizontalPodAutoscalers, podDisruptionBudgets } from './tables-autoscaling.js';
import { endpointSlices, ingresses } from './tables-network.js';

/** The kubelet version nodes report (kubesim models Kubernetes 1.32 defaults). */
export const KUBELET_VERSION = 'v1.32.0';

export type Gettable = Exclude<Resource, never>;

export interface Printer<T> {
  columns: string[];
  wide: string[];
  /** `wide`: the row is for -o wide (some cells are clipped only without it). */
  row(o: T, now: number, wide?: boolean): string[];
  wideRow(o: T, now: number): string[];
}

const age = (o: KubeObject | Node, now: number) => humanDuration(now - (o.metadata.creationTimestamp ?? 0));
const none = (v: string | undefined) => (v === undefined || v === '' ? '<none>' : v);
const containersOf = (t: { spec: { containers: { name: string; image: string }[] } }) => [
  t.spec.containers.map((c) => c.name).join(','),
  t.spec.containers.map((c) => c.image).join(','),
];
function selectorText(s: LabelSelector | undefined): string {
  if (!s) return '<none>';
  const parts = Object.entries(s.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of s.matchExpressions ?? []) {
    if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${e.operator === 'In' ? 'in' : 'notin'} (${(e.values ?? []).join(',')})`);
  }
  return parts.length ? parts.join(',') : '<none>';
}

/** printPod: READY, STATUS (the container reasons win over the phase), RESTARTS with "(Xs ago)". */
export function podColumns(p: Pod, now: number): { ready: string; status: string; restarts: string } {
  let reason = (p.status as { reason?: string } | undefined)?.reason ?? p.status?.phase ?? 'Pending';
  let restarts = 0;
  let readyContainers = 0;
  let lastRestart: number | undefined;
  const statuses = p.status?.containerStatuses ?? [];
  for (let i = statuses.length - 1; i >= 0; i--) {
    const c = statuses[i]!;
    restarts += c.restartCount;
    const finished = c.lastState?.terminated?.finishedAt;
    if (c.restartCount > 0 && finished !== undefined && (lastRestart === undefined || finished > lastRestart)) lastRestart = finished;
    if (c.state.waiting?.reason) reason = c.state.waiting.reason;
    else if (c.state.terminated?.reason) reason = c.state.terminated.reason;
    else if (c.state.terminated) reason = `ExitCode:${c.state.terminated.exitCode}`;
    else if (c.ready && c.state.running) readyContainers++;
  }
  // A bound pod the kubelet is still starting: upstream's kubelet posts waiting ContainerCreating
  // at once; kubesim's posts its first status when the containers run, so the table derives it.
  if (statuses.length === 0 && reason === 'Pending' && p.spec.nodeName) reason = 'ContainerCreating';
  if (p.metadata.deletionTimestamp !== undefined) reason = 'Terminating';
  const restartText = lastRestart === undefined ? String(restarts) : `${restarts} (${humanDuration(now - lastRestart)} ago)`;
  return { ready: `${readyContainers}/${p.spec.containers.length}`, status: reason, restarts: restartText };
}

const pods: Printer<Pod> = {
  columns: ['READY', 'STATUS', 'RESTARTS', 'AGE'],
  wide: ['IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'],
  row(p, now) {
    const c = podColumns(p, now);
    return [c.ready, c.status, c.restarts, age(p, now)];
  },
  wideRow: (p) => [none(p.status?.podIP), none(p.spec.nodeName), '<none>', '<none>'],
};

const nodes: Printer<Node> = {
  columns: ['STATUS', 'ROLES', 'AGE', 'VERSION'],
  wide: ['INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'],
  row(n, now) {
    const ready = n.status.conditions?.find((c) => c.type === 'Ready');
    let status = !ready ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady';
    if (n.spec.unschedulable) status += ',SchedulingDisabled';
    const roles = Object.keys(n.metadata.labels ?? {})
      .filter((k) => k.startsWith('node-role.kubernetes.io/'))
      .map((k) => k.slice('node-role.kubernetes.io/'.length))
      .filter((r) => r !== '')
      .sort();
    return [status, roles.length ? roles.join(',') : '<none>', age(n, now), KUBELET_VERSION];
  },
  wideRow: (n) => [none(n.status.addresses.find((a) => a.type === 'InternalIP')?.address), '<none>', '<unknown>', '<unknown>', '<unknown>'],
};

const deployments: Printer<Deployment> = {
  columns: ['READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
  wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
  row: (d, now) => [
    `${d.status?.readyReplicas ?? 0}/${d.spec.replicas ?? 1}`,
    String(d.status?.updatedReplicas ?? 0),
    String(d.status?.availableReplicas ?? 0),
    age(d, now),
  ],
  wideRow: (d) => [...containersOf(d.spec.template), selectorText(d.spec.selector)],
};

const replicaSets: Printer<ReplicaSet> = {
  columns: ['DESIRED', 'CURRENT', 'READY', 'AGE'],
  wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
  row: (r, now) => [String(r.spec.replicas ?? 1), String(r.status?.replicas ?? 0), String(r.status?.readyReplicas ?? 0), age(r, now)],
  wideRow: (r) => [...containersOf(r.spec.template), selectorText(r.spec.selector)],
};

const statefulSets: Printer<StatefulSet> = {
  columns: ['READY', 'AGE'],
  wide: ['CONTAINERS', 'IMAGES'],
  row: (s, now) => [`${s.status?.readyReplicas ?? 0}/${s.spec.replicas ?? 1}`, age(s, now)],
  wideRow: (s) => containersOf(s.spec.template),
};

const daemonSets: Printer<DaemonSet> = {
  columns: ['DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE'],
  wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
  row: (d, now) => {
    const st = d.status ?? {};
    const ns = d.spec.template.spec.nodeSelector;
    return [
      String(st.desiredNumberScheduled ?? 0),
      String(st.currentNumberScheduled ?? 0),
      String(st.numberReady ?? 0),
      String(st.updatedNumberScheduled ?? 0),
      String(st.numberAvailable ?? 0),
      ns && Object.keys(ns).length ? formatSelector(ns) : '<none>',
      age(d, now),
    ];
  },
  wideRow: (d) => [...containersOf(d.spec.template), selectorText(d.spec.selector)],
};

/** printers.go loadBalancerWidth: EXTERNAL-IP is clipped to 16 characters outside -o wide. */
const LOAD_BALANCER_WIDTH = 16;

/** loadBalancerStatusStringer: the ingress IPs (else hostnames), sorted and unique (sets.String.List), clipped unless wide. */
function loadBalancerStatus(s: Service, wide: boolean): string {
  const set = new Set<string>();
  for (const i of s.status?.loadBalancer?.ingress ?? []) {
    if (i.ip) set.add(i.ip);
    else if (i.hostname) set.add(i.hostname);
  }
  const r = [...set].sort().join(',');
  return !wide && r.length > LOAD_BALANCER_WIDTH ? `${r.slice(0, LOAD_BALANCER_WIDTH - 3)}...` : r;
}

/** getServiceExternalIP: externalIPs for ClusterIP and NodePort, the load balancer's addresses (then externalIPs) or <pending>, the external name. */
export function serviceExternalIP(s: Service, wide: boolean): string {
  const externalIPs = s.spec.externalIPs ?? [];
  switch (s.spec.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerStatus(s, wide);
      if (externalIPs.length) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return s.spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

const services: Printer<Service> = {
  columns: ['TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
  wide: ['SELECTOR'],
  row: (s, now, wide = false) => {
    const type = s.spec.type ?? 'ClusterIP';
    const ports = s.spec.ports.map((p) => `${p.port}${p.nodePort !== undefined && type !== 'ClusterIP' ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
    // printService: CLUSTER-IP is clusterIPs[0] (None for a headless Service), <none> without one (ExternalName).
    return [type, s.spec.clusterIPs?.[0] ?? '<none>', serviceExternalIP(s, wide), ports || '<none>', age(s, now)];
  },
  wideRow: (s) => [s.spec.selector && Object.keys(s.spec.selector).length ? formatSelector(s.spec.selector) : '<none>'],
};

const MODES: Readonly<Record<string, string>> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };
const modes = (m: readonly string[] | undefined) => (m ?? []).map((x) => MODES[x] ?? x).join(',');

const claims: Printer<PersistentVolumeClaim> = {
  columns: ['STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE'],
  wide: ['VOLUMEMODE'],
  row: (c, now) => {
    const phase = c.status?.phase ?? 'Pending';
    const bound = phase === 'Bound';
    const spec = c.spec as { volumeName?: string; storageClassName?: string };
    return [
      phase,
      spec.volumeName ?? '',
      bound ? String(c.status?.capacity?.storage ?? '') : '',
      bound ? modes(c.status?.accessModes ?? c.spec.accessModes) : '',
      spec.storageClassName || '<unset>',
      '<unset>',
      age(c, now),
    ];
  },
  wideRow: (c) => [(c.spec as { volumeMode?: string }).volumeMode ?? 'Filesystem'],
};

const volumes: Printer<PersistentVolume> = {
  columns: ['CAPACITY', 'ACCESS MODES', 'RECLAIM POLICY', 'STATUS', 'CLAIM', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'REASON', 'AGE'],
  wide: ['VOLUMEMODE'],
  row: (v, now) => {
    const ref = v.spec.claimRef;
    return [
      String(v.spec.capacity.storage),
      modes(v.spec.accessModes),
      v.spec.persistentVolumeReclaimPolicy ?? 'Retain',
      v.status?.phase ?? 'Pending',
      ref?.name ? `${ref.namespace}/${ref.name}` : '',
      v.spec.storageClassName || '<unset>',
      '<unset>',
      '',
      age(v, now),
    ];
  },
  wideRow: (v) => [v.spec.volumeMode ?? 'Filesystem'],
};

/** Every type but events, whose columns are not NAME plus a printer's (tables-events.ts). */
export const PRINTERS: Readonly<Record<Exclude<Resource, 'event'>, Printer<any>>> = {
  pod: pods,
  node: nodes,
  deployment: deployments,
  replicaset: replicaSets,
  statefulset: statefulSets,
  daemonset: daemonSets,
  service: services,
  persistentvolumeclaim: claims,
  persistentvolume: volumes,
  horizontalpodautoscaler: horizontalPodAutoscalers,
  poddisruptionbudget: podDisruptionBudgets,
  ingress: ingresses,
  endpointslice: endpointSlices,
};

/** kubectl's tabwriter (minwidth 0, padding 3, padchar ' '): every column but the last padded. */
export function tabulate(rows: readonly string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]! + 3))).join('')).join('\n');
}
