/**
 * The scheduler's view of the cluster (the scheduler cache and its per-cycle Snapshot,
 * pkg/scheduler/backend/cache): nodes in a fixed order, the pods bound or assumed on each, and
 * the cluster-wide facts some plugins need (how many nodes hold an image, Services and
 * ReplicaSets for default spreading, namespace labels). kubesim's cycles do not overlap, so
 * the cache itself serves as the snapshot; it is updated in place as pods bind and leave.
 */
import type { Labels, Node, ReplicaSet, Service } from '../api/types.js';
import type { VolumeLister } from '../api/persistent-volumes.js';
import { NodeInfo, PodInfo } from './node-info.js';
import { TopologyCounts } from './topology-counts.js';

/** A cluster without storage objects: every claim is missing. */
const NO_VOLUMES: VolumeLister = { get: () => undefined, list: () => [] } as unknown as VolumeLister;

export class Snapshot {
  readonly nodes: NodeInfo[] = [];
  private readonly byName = new Map<string, NodeInfo>();
  private readonly pods = new Map<string, PodInfo>();
  /** Image name -> number of nodes that have it (ImageStateSummary.NumNodes). */
  private readonly imageNodes = new Map<string, number>();
  /** Bound or assumed pods with any pod (anti-)affinity: few in most clusters, so listed. */
  private readonly affinityPods = new Set<PodInfo>();
  readonly namespaceLabels = new Map<string, Labels>();
  services: readonly Service[] = [];
  replicaSets: readonly ReplicaSet[] = [];
  /** PersistentVolumeClaims, PersistentVolumes and StorageClasses, for VolumeBinding. */
  volumes: VolumeLister = NO_VOLUMES;
  /** Pods per topology domain, for PodTopologySpread (maintained, not rescanned). */
  readonly topology = new TopologyCounts(() => this.nodes);

  /**
   * Pods nominated to a node by preemption and not bound yet (the scheduling queue's
   * nominator, pkg/scheduler/backend/queue/nominator.go), by node name.
   */
  private readonly nominatedByNode = new Map<string, PodInfo[]>();
  private readonly nominatedNode = new Map<string, string>();

  get hasNominatedPods(): boolean {
    return this.nominatedNode.size > 0;
  }

  /** Pods nominated to `nodeName`, or undefined. */
  nominatedOn(nodeName: string): readonly PodInfo[] | undefined {
    return this.nominatedByNode.get(nodeName);
  }

  /** Records that `p` preempted for `nodeName` (replacing an earlier nomination of the same pod). */
  nominate(p: PodInfo, nodeName: string): void {
    this.clearNomination(p.key);
    this.nominatedNode.set(p.key, nodeName);
    const list = this.nominatedByNode.get(nodeName);
    if (list) list.push(p);
    else this.nominatedByNode.set(nodeName, [p]);
  }

  /** The pod was bound, deleted or nominated elsewhere. */
  clearNomination(key: string): void {
    const nodeName = this.nominatedNode.get(key);
    if (nodeName === undefined) return;
    this.nominatedNode.delete(key);
    const rest = this.nominatedByNode.get(nodeName)!.filter((p) => p.key !== key);
    if (rest.length) this.nominatedByNode.set(nodeName, rest);
    else this.nominatedByNode.delete(nodeName);
  }

  get nodeCount(): number {
    return this.nodes.length;
  }

  node(name: string): NodeInfo | undefined {
    return this.byName.get(name);
  }

  pod(key: string): PodInfo | undefined {
    return this.pods.get(key);
  }

  imageNumNodes(name: string): number {
    return this.imageNodes.get(name) ?? 0;
  }

  /** Nodes hosting at least one pod with pod (anti-)affinity (HavePodsWithAffinityList). */
  havePodsWithAffinity(): NodeInfo[] {
    return this.podsWithAffinity === 0 ? [] : this.nodes.filter((n) => n.podsWithAffinity > 0);
  }

  havePodsWithRequiredAntiAffinity(): NodeInfo[] {
    return this.podsWithRequiredAntiAffinity === 0 ? [] : this.nodes.filter((n) => n.podsWithRequiredAntiAffinity > 0);
  }

  /** Pods (bound or assumed) with pod (anti-)affinity, and with required anti-affinity, cluster-wide. */
  get podsWithAffinity(): number {
    let n = 0;
    for (const p of this.affinityPods) if (p.hasAffinity) n++;
    return n;
  }

  get podsWithRequiredAntiAffinity(): number {
    let n = 0;
    for (const p of this.affinityPods) if (p.requiredAntiAffinity.length) n++;
    return n;
  }

  /** A bound pod began terminating. */
  markTerminating(key: string): void {
    const p = this.pods.get(key);
    if (p?.nodeName) this.byName.get(p.nodeName)?.markTerminating(p);
  }

  upsertNode(node: Node): NodeInfo {
    let info = this.byName.get(node.metadata.name);
    if (info) {
      this.countImages(info, -1);
      this.topology.removeNode(info);
      info.setNode(node);
      this.topology.addNode(info);
    } else {
      info = new NodeInfo(node, this.nodes.length);
      this.nodes.push(info);
      this.byName.set(info.name, info);
      // Pods that arrived before their node (informer order) are attached now.
      for (const p of this.pods.values()) if (p.nodeName === info.name) info.addPod(p);
      info.topology = this.topology;
      this.topology.addNode(info);
    }
    this.countImages(info, 1);
    return info;
  }

  removeNode(name: string): void {
    const info = this.byName.get(name);
    if (!info) return;
    this.countImages(info, -1);
    this.topology.removeNode(info);
    info.topology = undefined;
    this.byName.delete(name);
    this.nodes.splice(info.index, 1);
    this.nodes.forEach((n, i) => ((n as { index: number }).index = i));
  }

  /** Adds (or moves) a bound or assumed pod. */
  addPod(p: PodInfo, nodeName: string, now = 0): void {
    this.removePod(p.key);
    p.nodeName = nodeName;
    p.startTime = now;
    this.pods.set(p.key, p);
    if (p.hasAffinity) this.affinityPods.add(p);
    this.byName.get(nodeName)?.addPod(p);
  }

  removePod(key: string): PodInfo | undefined {
    const p = this.pods.get(key);
    if (!p) return undefined;
    this.pods.delete(key);
    this.affinityPods.delete(p);
    if (p.nodeName) this.byName.get(p.nodeName)?.removePod(p);
    return p;
  }

  private countImages(info: NodeInfo, sign: 1 | -1): void {
    for (const name of info.imageSizes.keys()) {
      const n = (this.imageNodes.get(name) ?? 0) + sign;
      if (n > 0) this.imageNodes.set(name, n);
      else this.imageNodes.delete(name);
    }
  }
}
