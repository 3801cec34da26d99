/**
 * The DaemonSet controller (pkg/controller/daemon/daemon_controller.go, update.go): one daemon
 * pod on every node that should run it (daemonset-util.ts nodeShouldRunDaemonPod: node
 * selector, required node affinity, taints against the template's tolerations plus the ones
 * the controller adds), including nodes that appear or change later.
 *
 * Pods are `<daemonset>-<5 random>` (generateName), owned by the DaemonSet (controller
 * reference kind DaemonSet, which `kubectl drain` looks for), labelled with
 * controller-revision-hash and pod-template-generation, and pinned to their node by a required
 * node affinity term `metadata.name In [node]`: the default scheduler places them, as upstream
 * has done since 1.12 (ScheduleDaemonSetPods).
 *
 * manage (syncNodes): a node that should run the pod and has none gets one; failed pods are
 * deleted (and recreated on the next sync); of several pods on a node the oldest is kept, by
 * creation time in whole seconds, then name (podByCreationTimestampAndPhase); a
 * node that should no longer run it (an untolerated NoExecute taint, labels that stopped
 * matching) loses its pods; pods pinned to a node that no longer exists are deleted. A pod
 * still terminating on a node counts as present, so its replacement waits for it to go.
 *
 * RollingUpdate (update.go rollingUpdate, maxSurge 0): old pods are deleted, at most
 * maxUnavailable (default 1; a percentage of desiredNumberScheduled, rounded up) counting the
 * nodes whose pod is missing or not available, unavailable old pods first; manage then
 * creates their replacements from the new template. OnDelete replaces a pod only when it is
 * deleted. maxSurge > 0 (surge rollouts) is not modelled: it is treated as 0.
 *
 * The pods are those it claims (getDaemonPods: ClaimPods over its own pods and the orphans of its
 * namespace, engine/controllers/controller-ref-manager.ts): a pod relabelled out of the
 * selector is released and lives on as an orphan, a matching orphan is adopted; claimed pods
 * are grouped by the node they target (getNodesToDaemonPods: spec.nodeName, else the node
 * affinity pin; a pod targeting no node is claimed but belongs to no node). An adopted pod on
 * a node counts as that node's daemon pod: a node with two keeps the oldest.
 *
 * Expectations (controller_utils.go) keep a sync from creating or deleting twice in the gap
 * between a write and its watch event. Events: SuccessfulCreate "Created pod: <name>",
 * SuccessfulDelete "Deleted pod: <name>", FailedCreate / FailedDelete, recorded when the API
 * server answers (controller_utils.go RealPodControl, engine/controllers/pod-control.ts).
 */
import type { ClusterContext } from '../api/context.js';
import { matchesSelector } from '../api/labels.js';
import { canonicalJson, podTemplateHash } from '../api/names.js';
import { ownerRef } from '../api/owners.js';
import { isPodReady } from '../api/pod-lifecycle.js';
import { objectKey } from '../api/store.js';
import type { DaemonSet, Node, Pod } from '../api/types.js';
import {
  CONTROLLER_REVISION_HASH_LABEL,
  daemonPodTolerations,
  isDaemonPodUpdated,
  nodeShouldRunDaemonPod,
  pinToNode,
  podByCreationTimestampAndPhase,
  POD_TEMPLATE_GENERATION_LABEL,
  scaledOrDefault,
  targetNodeName,
} from './daemonset-util.js';
import { claimObjects } from './controller-ref-manager.js';
import { controllersSelecting, OwnedPods } from './owned-pods.js';
import { createPod, deleteOwnedPod } from './pod-control.js';
import { SLOW_START_INITIAL_BATCH_SIZE, slowStartBatch } from './slow-start.js';
import { WorkQueue } from './work-queue.js';

export class DaemonSetController {
  private readonly queue: WorkQueue;
  private readonly owned: OwnedPods;
  /** What of each node a daemon pod's placement depends on (labels, taints), to ignore heartbeats. */
  private readonly nodeShape = new Map<string, string>();

  constructor(private readonly ctx: ClusterContext) {
    this.queue = new WorkQueue(ctx.sim, (key) => this.sync(key));
    this.owned = new OwnedPods('DaemonSet', (pod) => this.podDaemonSets(pod));
    ctx.api.watch('DaemonSet', (type, ds) => {
      const key = objectKey(ds.metadata.namespace, ds.metadata.name);
      if (type === 'DELETED') this.owned.forget(key);
      this.queue.add(key);
    });
    ctx.api.watch('Pod', (type, pod) => this.onPod(type, pod));
    ctx.api.watch('Node', (type, node) => this.onNode(type, node));
  }

  get workQueue(): WorkQueue {
    return this.queue;
  }

  private enqueueAll(): void {
    for (const ds of this.ctx.api.list('DaemonSet')) this.queue.add(objectKey(ds.metadata.namespace, ds.metadata.name));
  }

  /** updateNode's shouldIgnoreNodeUpdate: only label and taint changes can change where daemon pods belong. */
  private onNode(type: 'ADDED' | 'MODIFIED' | 'DELETED', node: Node): void {
    const name = node.metadata.name;
    if (type === 'DELETED') {
      this.nodeShape.delete(name);
      this.enqueueAll();
      return;
    }
    const shape = canonicalJson({ labels: node.metadata.labels, taints: node.spec.taints });
    if (this.nodeShape.get(name) === shape) return;
    this.nodeShape.set(name, shape);
    this.enqueueAll();
  }

  private onPod(type: 'ADDED' | 'MODIFIED' | 'DELETED', pod: Pod): void {
    for (const key of this.owned.observe(type, pod)) this.queue.add(key);
  }

  /** getDaemonSetsForPod (DaemonSetLister.GetPodDaemonSets): the DaemonSets of the pod's namespace selecting it. */
  private podDaemonSets(pod: Pod): string[] {
    return controllersSelecting(this.ctx.api.list('DaemonSet', pod.metadata.namespace), pod);
  }

  /** getDaemonPods: the pods this DaemonSet claims, adopting and releasing on the way; undefined while adoptions are in flight or refused. */
  private claimPods(ds: DaemonSet, key: string): Pod[] | undefined {
    const claim = claimObjects(this.owned.claimable(ds), {
      api: this.ctx.api,
      kind: 'Pod',
      controller: ds,
      match: (pod) => matchesSelector(ds.spec.selector, pod.metadata.labels),
      failed: () => this.queue.addRateLimited(key),
    });
    // Adoptions in flight: nothing is managed until the watch shows them (controller-ref-manager.ts).
    return claim && claim.adopting === 0 ? claim.claimed : undefined;
  }

  private sync(key: string): void {
    const [namespace, name] = splitKey(key);
    const ds = this.ctx.api.get('DaemonSet', namespace, name);
    if (!ds) return;
    const nodes = this.ctx.api.list('Node');
    const hash = podTemplateHash(ds.spec.template);
    const claimed = this.claimPods(ds, key);
    if (!claimed) return;
    if (this.owned.satisfied(key)) {
      const byNode = this.podsByNode(claimed, nodes);
      const { create, remove } = this.manage(ds, nodes, byNode);
      if (create.length === 0 && remove.length === 0 && (ds.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
        remove.push(...this.rollingUpdate(ds, nodes, byNode, hash));
      }
      this.syncNodes(ds, key, create, remove, hash);
    }
    // updateDaemonSetStatus lists and claims again; the cache has not changed within this sync, so the same pods.
    this.updateStatus(ds, nodes, this.podsByNode(claimed, nodes), hash);
  }

  /**
   * getNodesToDaemonPods: the claimed pods (terminating ones included: their node is not free
   * yet) by target node; `orphans` are those targeting a node that is not in the list. A pod
   * targeting no node at all is left out (GetTargetNodeName fails: upstream skips it).
   */
  private podsByNode(claimed: Pod[], nodes: Node[]): { byNode: Map<string, Pod[]>; orphans: Pod[] } {
    const byNode = new Map<string, Pod[]>(nodes.map((n) => [n.metadata.name, []]));
    const orphans: Pod[] = [];
    for (const pod of claimed) {
      const phase = pod.status?.phase;
      if ((phase === 'Succeeded' || phase === 'Failed') && pod.metadata.deletionTimestamp !== undefined) continue;
      const node = targetNodeName(pod);
      if (node === undefined) continue;
      const list = byNode.get(node);
      if (list) list.push(pod);
      else orphans.push(pod);
    }
    for (const list of byNode.values()) list.sort(podByCreationTimestampAndPhase);
    return { byNode, orphans };
  }

  /** manage + podsShouldBeOnNode: the nodes needing a pod and the pods to delete. */
  private manage(ds: DaemonSet, nodes: Node[], pods: { byNode: Map<string, Pod[]>; orphans: Pod[] }): { create: string[]; remove: Pod[] } {
    const create: string[] = [];
    const remove: Pod[] = [];
    for (const node of nodes) {
      const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
      const onNode = pods.byNode.get(node.metadata.name)!;
      if (shouldRun) {
        if (onNode.length === 0) {
          create.push(node.metadata.name);
          continue;
        }
        const running: Pod[] = [];
        for (const pod of onNode) {
          if (pod.metadata.deletionTimestamp !== undefined) continue;
          if (pod.status?.phase === 'Failed') {
            this.ctx.event('Warning', 'FailedDaemonPod', ds, `Found failed daemon pod ${pod.metadata.namespace}/${pod.metadata.name} on node ${node.metadata.name}, will try to kill it`);
            remove.push(pod);
            continue;
          }
          running.push(pod);
        }
        // Several pods on one node (a race, an adoption): keep the first in podByCreationTimestampAndPhase order.
        remove.push(...running.slice(1));
      } else if (!shouldContinueRunning) {
        remove.push(...onNode.filter((p) => p.metadata.deletionTimestamp === undefined));
      }
    }
    // Pods pinned to nodes that no longer exist, not yet bound (getUnscheduledPodsWithoutNode).
    for (const pod of pods.orphans) if (!pod.spec.nodeName && pod.metadata.deletionTimestamp === undefined) remove.push(pod);
    return { create, remove };
  }

  /** update.go rollingUpdate with maxSurge 0: which old pods to delete now. */
  private rollingUpdate(ds: DaemonSet, nodes: Node[], pods: { byNode: Map<string, Pod[]> }, hash: string): Pod[] {
    const now = this.ctx.sim.now;
    const generation = ds.metadata.generation;
    const desired = nodes.filter((n) => nodeShouldRunDaemonPod(n, ds).shouldRun).length;
    let maxUnavailable = scaledOrDefault(ds.spec.updateStrategy?.rollingUpdate?.maxUnavailable, desired, true, 1);
    // updatedDesiredNodeCounts: a rollout must be able to make progress.
    if (maxUnavailable === 0) maxUnavailable = 1;
    let numUnavailable = 0;
    const allowedReplacement: Pod[] = [];
    const candidates: Pod[] = [];
    for (const node of nodes) {
      const onNode = pods.byNode.get(node.metadata.name)!;
      if (onNode.length === 0) continue;
      const active = onNode.filter((p) => p.metadata.deletionTimestamp === undefined);
      // findUpdatedPodsOnNode: more than one old or new pod on the node is manage's business.
      const fresh = active.filter((p) => isDaemonPodUpdated(p, hash, generation));
      const old = active.filter((p) => !isDaemonPodUpdated(p, hash, generation));
      if (fresh.length > 1 || old.length > 1) {
        numUnavailable++;
        continue;
      }
      const newPod = fresh[0];
      const oldPod = old[0];
      if ((!oldPod && !newPod) || (oldPod && newPod)) numUnavailable++;
      else if (newPod) {
        if (!this.isAvailable(newPod, ds, now)) numUnavailable++;
      } else if (!this.isAvailable(oldPod!, ds, now)) allowedReplacement.push(oldPod!);
      else if (numUnavailable < maxUnavailable) candidates.push(oldPod!);
    }
    const remaining = Math.min(Math.max(0, maxUnavailable - numUnavailable), candidates.length);
    return [...allowedReplacement, ...candidates.slice(0, remaining)];
  }

  /** podutil.IsPodAvailable: Ready for at least minReadySeconds. */
  private isAvailable(pod: Pod, ds: DaemonSet, now: number): boolean {
    if (!isPodReady(pod)) return false;
    const minReady = ds.spec.minReadySeconds ?? 0;
    if (minReady === 0) return true;
    const since = pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime ?? now;
    return since + minReady <= now;
  }

  private syncNodes(ds: DaemonSet, key: string, nodesNeedingPods: string[], podsToDelete: Pod[], hash: string): void {
    if (nodesNeedingPods.length === 0 && podsToDelete.length === 0) return;
    const victims = [...new Map(podsToDelete.map((p) => [p.metadata.name, p])).values()];
    this.owned.expect(key, nodesNeedingPods.length, victims.map((p) => p.metadata.name));
    const deleteAll = (): void => {
      for (const pod of victims) {
        // syncNodes: a refused delete is never observed either; NotFound is not an error of the sync.
        deleteOwnedPod(this.ctx, ds, pod, (result) => {
          this.owned.deletionFailed(key, pod.metadata.name);
          if (result !== 'NotFound') this.queue.addRateLimited(key);
        });
      }
    };
    if (nodesNeedingPods.length === 0) return deleteAll();
    // syncNodes: the creates in slow-start batches (engine/controllers/slow-start.ts), the nodes
    // in order, the ones after a batch with a refusal skipped and no longer expected; the deletes
    // once the creates have all answered. Every batch creates from the DaemonSet as this sync read it.
    const snapshot = structuredClone(ds);
    let next = 0;
    slowStartBatch(
      nodesNeedingPods.length,
      SLOW_START_INITIAL_BATCH_SIZE,
      (answered) => this.createPod(snapshot, key, nodesNeedingPods[next++]!, hash, answered),
      (made) => {
        this.owned.creationsSkipped(key, nodesNeedingPods.length - made);
        deleteAll();
      },
    );
  }

  /** util.CreatePodTemplate + ReplaceDaemonSetPodNodeNameNodeAffinity, then create. */
  private createPod(ds: DaemonSet, key: string, nodeName: string, hash: string, answered: (ok: boolean) => void): void {
    const template = structuredClone(ds.spec.template);
    const spec = template.spec;
    spec.tolerations = daemonPodTolerations(spec);
    spec.affinity = { ...((spec.affinity as object | undefined) ?? {}), nodeAffinity: pinToNode(spec, nodeName) };
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: '',
        generateName: `${ds.metadata.name}-`,
        namespace: ds.metadata.namespace,
        labels: {
          ...(template.metadata?.labels ?? {}),
          [CONTROLLER_REVISION_HASH_LABEL]: hash,
          [POD_TEMPLATE_GENERATION_LABEL]: String(ds.metadata.generation ?? 1),
        },
        annotations: { ...(template.metadata?.annotations ?? {}) },
        ownerReferences: [ownerRef(ds)],
      },
      spec,
      status: { phase: 'Pending' },
    };
    createPod(this.ctx, ds, pod, () => {
      // A refused create is never seen by the watch: lower the expectation now, as upstream does.
      this.owned.creationFailed(key);
      this.queue.addRateLimited(key);
    }, answered);
  }

  /** updateDaemonSetStatus: counted over the nodes that should run the pod, from each node's oldest pod. */
  private updateStatus(ds: DaemonSet, nodes: Node[], pods: { byNode: Map<string, Pod[]> }, hash: string): void {
    const now = this.ctx.sim.now;
    let desired = 0;
    let current = 0;
    let misscheduled = 0;
    let ready = 0;
    let available = 0;
    let updated = 0;
    let nextAvailable = Infinity;
    for (const node of nodes) {
      const { shouldRun } = nodeShouldRunDaemonPod(node, ds);
      const onNode = pods.byNode.get(node.metadata.name)!;
      if (!shouldRun) {
        if (onNode.length > 0) misscheduled++;
        continue;
      }
      desired++;
      const pod = onNode[0];
      if (!pod) continue;
      current++;
      if (isPodReady(pod)) {
        ready++;
        if (this.isAvailable(pod, ds, now)) available++;
        else {
          const since = pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime ?? now;
          nextAvailable = Math.min(nextAvailable, since + (ds.spec.minReadySeconds ?? 0));
        }
      }
      if (isDaemonPodUpdated(pod, hash, ds.metadata.generation)) updated++;
    }
    const key = objectKey(ds.metadata.namespace, ds.metadata.name);
    if (nextAvailable < Infinity) this.ctx.sim.schedule(nextAvailable, () => this.queue.add(key));
    const status = {
      desiredNumberScheduled: desired,
      currentNumberScheduled: current,
      numberMisscheduled: misscheduled,
      numberReady: ready,
      numberAvailable: available,
      numberUnavailable: desired - available,
      updatedNumberScheduled: updated,
      observedGeneration: ds.metadata.generation ?? 1,
    };
    if (canonicalJson(ds.status ?? {}) === canonicalJson(status)) return;
    this.ctx.api.update('DaemonSet', ds.metadata.namespace, ds.metadata.name, (d) => {
      d.status = status;
    });
  }
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}
