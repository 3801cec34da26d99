/**
 * What the scheduler knows about a pod and a node, computed once (framework.PodInfo and
 * framework.NodeInfo, pkg/scheduler/framework/types.go): requests in engine units, the non-zero
 * requests scoring uses, host ports, parsed affinity terms, and per node the sums of what its
 * pods request. Plugins read these instead of re-parsing manifests in the hot loop.
 */
import { parseBytes, parseCpuMilli } from '../api/quantity.js';
import type { Container, LabelSelector, Labels, Node, Pod, Taint } from '../api/types.js';
import { DEFAULT_NAMESPACE } from '../api/types.js';
import { nodeImages, schedulingFields, type PodAffinityTerm } from './pod-spec.js';
import type { TopologyCounts } from './topology-counts.js';

/**
 * Requests given to containers that have none, for scoring only
 * (pkg/scheduler/util/pod_resources.go DefaultMilliCPURequest, DefaultMemoryRequest).
 * Only an absent request gets them: an explicit 0 stays 0 (NonMissingContainerRequests).
 */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

/** Resources kubesim tracks by name; anything else is a scalar (extended) resource. */
const NAMED = new Set(['cpu', 'memory', 'pods']);

export interface AffinityTerm {
  /** Namespaces the term selects; null with nsSelector set means "by namespace labels". */
  namespaces: ReadonlySet<string>;
  nsSelector: LabelSelector | undefined;
  selector: LabelSelector | undefined;
  topologyKey: string;
  weight: number;
}

export interface HostPort {
  protocol: string;
  hostIP: string;
  port: number;
}

export class PodInfo {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  readonly priority: number;
  readonly cpu: number;
  readonly memory: number;
  readonly nonZeroCpu: number;
  readonly nonZeroMemory: number;
  /** Extended resources requested (nvidia.com/gpu, hugepages-2Mi, ...), or null. */
  readonly scalar: ReadonlyMap<string, number> | null;
  readonly hostPorts: readonly HostPort[];
  readonly requiredAffinity: readonly AffinityTerm[];
  readonly requiredAntiAffinity: readonly AffinityTerm[];
  readonly preferredAffinity: readonly AffinityTerm[];
  readonly preferredAntiAffinity: readonly AffinityTerm[];
  readonly images: readonly string[];
  readonly ownerUid: string | undefined;
  /** Where the pod is bound (or assumed), set by the snapshot. */
  nodeName: string | undefined;
  /** When it was bound (simulated seconds), for preemption's victim order. */
  startTime = 0;
  /** Its labels were taken out of its node's label counts when it began terminating. */
  labelsUncounted = false;

  constructor(readonly pod: Pod) {
    const meta = pod.metadata;
    this.namespace = meta.namespace ?? DEFAULT_NAMESPACE;
    this.name = meta.name;
    this.key = `${this.namespace}/${this.name}`;
    this.labels = meta.labels ?? {};
    this.priority = pod.spec.priority ?? 0;
    this.nodeName = pod.spec.nodeName || undefined;
    this.ownerUid = meta.ownerReferences?.find((o) => o.controller)?.uid;
    const fields = schedulingFields(pod);
    const req = podRequests(pod.spec.containers, fields.initContainers ?? [], fields.overhead, false);
    const nz = podRequests(pod.spec.containers, fields.initContainers ?? [], fields.overhead, true);
    this.cpu = req.cpu;
    this.memory = req.memory;
    this.scalar = req.scalar.size ? req.scalar : null;
    this.nonZeroCpu = nz.cpu;
    this.nonZeroMemory = nz.memory;
    const ports: HostPort[] = [];
    for (const c of [...(fields.initContainers ?? []), ...pod.spec.containers]) {
      for (const p of c.ports ?? []) {
        if (p.hostPort === undefined || p.hostPort <= 0) continue;
        ports.push({ protocol: p.protocol ?? 'TCP', hostIP: (p as { hostIP?: string }).hostIP || '0.0.0.0', port: p.hostPort });
      }
    }
    this.hostPorts = ports;
    const a = fields.affinity;
    const term = (t: PodAffinityTerm, weight: number): AffinityTerm => affinityTerm(this.namespace, t, weight);
    this.requiredAffinity = (a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => term(t, 1));
    this.requiredAntiAffinity = (a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => term(t, 1));
    this.preferredAffinity = (a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => term(w.podAffinityTerm, w.weight));
    this.preferredAntiAffinity = (a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) =>
      term(w.podAffinityTerm, w.weight),
    );
    this.images = [...(fields.initContainers ?? []), ...pod.spec.containers].map((c) => c.image);
  }

  /** Has any pod (anti-)affinity at all (NodeInfo.PodsWithAffinity). */
  get hasAffinity(): boolean {
    const a = schedulingFields(this.pod).affinity;
    return a?.podAffinity !== undefined || a?.podAntiAffinity !== undefined;
  }

  get isTerminating(): boolean {
    return this.pod.metadata.deletionTimestamp !== undefined;
  }
}

/** schedutil.GetNamespacesFromPodAffinityTerm: no namespaces and no selector means the pod's own. */
export function affinityTerm(podNamespace: string, t: PodAffinityTerm, weight: number): AffinityTerm {
  const namespaces = new Set(t.namespaces ?? []);
  if (namespaces.size === 0 && t.namespaceSelector === undefined) namespaces.add(podNamespace);
  return { namespaces, nsSelector: t.namespaceSelector, selector: t.labelSelector, topologyKey: t.topologyKey, weight };
}

interface Requests {
  cpu: number;
  memory: number;
  scalar: Map<string, number>;
}

/**
 * Parsed quantities, remembered: a workload's pods repeat the same few request strings, and
 * every pod is parsed again at each scheduling attempt. Bounded (cleared when full).
 */
const parsedCpu = new Map<string | number, number>();
const parsedBytes = new Map<string | number, number>();

function memo(cache: Map<string | number, number>, q: string | number, parse: (q: string | number) => number): number {
  let v = cache.get(q);
  if (v === undefined) {
    v = parse(q);
    if (cache.size >= 4096) cache.clear();
    cache.set(q, v);
  }
  return v;
}

function containerRequests(c: Container, nonZero: boolean, into: Requests, add: (a: number, b: number) => number): void {
  const r = c.resources?.requests ?? {};
  const cpu = r.cpu !== undefined ? memo(parsedCpu, r.cpu, parseCpuMilli) : nonZero ? DEFAULT_MILLI_CPU_REQUEST : 0;
  const mem = r.memory !== undefined ? memo(parsedBytes, r.memory, parseBytes) : nonZero ? DEFAULT_MEMORY_REQUEST : 0;
  into.cpu = add(into.cpu, cpu);
  into.memory = add(into.memory, mem);
  for (const [name, q] of Object.entries(r)) {
    if (NAMED.has(name) || q === undefined) continue;
    into.scalar.set(name, add(into.scalar.get(name) ?? 0, parseBytes(q)));
  }
}

/**
 * k8s.io/component-helpers/resource PodRequests: the sum over containers, then the max with
 * each init container (they run one at a time before the others), then the pod overhead.
 */
function podRequests(containers: Container[], init: Container[], overhead: Record<string, string | number> | undefined, nonZero: boolean): Requests {
  const sum: Requests = { cpu: 0, memory: 0, scalar: new Map() };
  for (const c of containers) containerRequests(c, nonZero, sum, (a, b) => a + b);
  for (const c of init) containerRequests(c, nonZero, sum, Math.max);
  if (overhead) {
    if (overhead.cpu !== undefined) sum.cpu += parseCpuMilli(overhead.cpu);
    if (overhead.memory !== undefined) sum.memory += parseBytes(overhead.memory);
  }
  return sum;
}

export class NodeInfo {
  node!: Node;
  name = '';
  labels: Labels = {};
  /** NoSchedule and NoExecute taints (what TaintToleration's filter checks). */
  hardTaints: Taint[] = [];
  preferNoScheduleTaints: Taint[] = [];
  unschedulable = false;
  allocCpu = 0;
  allocMemory = 0;
  reqCpu = 0;
  reqMemory = 0;
  nonZeroCpu = 0;
  nonZeroMemory = 0;
  allocPods = 0;
  allocScalar = new Map<string, number>();
  reqScalar = new Map<string, number>();
  readonly pods: PodInfo[] = [];
  /** Pods with pod (anti-)affinity, and with required anti-affinity (NodeInfo.PodsWithAffinity, ...). */
  podsWithAffinity = 0;
  podsWithRequiredAntiAffinity = 0;
  /** `protocol/port` -> host IPs in use. */
  readonly usedPorts = new Map<string, string[]>();
  /** Image name -> size in bytes (node.status.images). */
  imageSizes = new Map<string, number>();
  /** imageSizes.size, as a plain field for the score loop. */
  imageCount = 0;
  /** `namespace\0key=value` -> pods carrying that label: counts single-label selectors without a scan. */
  readonly labelCounts = new Map<string, number>();
  /** The snapshot's per-domain counts, told of every change of labelCounts (unset outside a snapshot). */
  topology: TopologyCounts | undefined = undefined;

  constructor(
    node: Node,
    /** Position in the snapshot's node list. */
    readonly index: number,
  ) {
    this.setNode(node);
  }

  setNode(node: Node): void {
    this.node = node;
    this.name = node.metadata.name;
    // A copy: the API server's objects are live, and the cache sees a change only through its event.
    this.labels = { ...node.metadata.labels };
    const taints = node.spec.taints ?? [];
    this.hardTaints = taints.filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
    this.preferNoScheduleTaints = taints.filter((t) => t.effect === 'PreferNoSchedule');
    this.unschedulable = node.spec.unschedulable === true;
    const alloc = node.status.allocatable ?? {};
    this.allocCpu = alloc.cpu !== undefined ? parseCpuMilli(alloc.cpu) : 0;
    this.allocMemory = alloc.memory !== undefined ? parseBytes(alloc.memory) : 0;
    this.allocPods = alloc.pods !== undefined ? Number(parseBytes(alloc.pods)) : 0;
    this.allocScalar = new Map();
    for (const [name, q] of Object.entries(alloc)) {
      if (!NAMED.has(name) && q !== undefined) this.allocScalar.set(name, parseBytes(q));
    }
    this.imageSizes = new Map();
    for (const image of nodeImages(node)) {
      for (const name of image.names ?? []) this.imageSizes.set(name, image.sizeBytes ?? 0);
    }
    this.imageCount = this.imageSizes.size;
  }

  addPod(p: PodInfo): void {
    this.pods.push(p);
    this.account(p, 1);
  }

  /** A pod began terminating: spreading no longer counts it (countPodsMatchSelector skips terminating pods). */
  markTerminating(p: PodInfo): void {
    if (p.labelsUncounted || !this.pods.includes(p)) return;
    this.countLabels(p, -1);
    p.labelsUncounted = true;
  }

  removePod(p: PodInfo): boolean {
    const i = this.pods.indexOf(p);
    if (i < 0) return false;
    this.pods[i] = this.pods[this.pods.length - 1]!;
    this.pods.pop();
    this.account(p, -1);
    return true;
  }

  private account(p: PodInfo, sign: 1 | -1): void {
    this.reqCpu += sign * p.cpu;
    this.reqMemory += sign * p.memory;
    this.nonZeroCpu += sign * p.nonZeroCpu;
    this.nonZeroMemory += sign * p.nonZeroMemory;
    if (p.scalar) for (const [k, v] of p.scalar) this.reqScalar.set(k, (this.reqScalar.get(k) ?? 0) + sign * v);
    if (p.hasAffinity) this.podsWithAffinity += sign;
    if (p.requiredAntiAffinity.length) this.podsWithRequiredAntiAffinity += sign;
    for (const hp of p.hostPorts) {
      const key = `${hp.protocol}/${hp.port}`;
      const ips = this.usedPorts.get(key) ?? [];
      if (sign > 0) ips.push(hp.hostIP);
      else ips.splice(ips.indexOf(hp.hostIP), 1);
      if (ips.length) this.usedPorts.set(key, ips);
      else this.usedPorts.delete(key);
    }
    if (!p.labelsUncounted) this.countLabels(p, sign);
  }

  private countLabels(p: PodInfo, sign: 1 | -1): void {
    for (const k in p.labels) {
      const key = `${p.namespace}\0${k}=${p.labels[k]}`;
      const n = (this.labelCounts.get(key) ?? 0) + sign;
      if (n) this.labelCounts.set(key, n);
      else this.labelCounts.delete(key);
      this.topology?.podLabel(this, key, sign);
    }
  }
}
