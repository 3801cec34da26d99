/**
 * The disruption controller (pkg/controller/disruption/disruption.go): for each
 * PodDisruptionBudget, counts the healthy pods it selects and writes status.currentHealthy,
 * desiredHealthy, expectedPods, disruptionsAllowed, disruptedPods, observedGeneration and the
 * DisruptionAllowed condition, which the Eviction API (engine/api/eviction.ts) consults.
 *
 * As upstream, it reacts to PDB and pod events only: a scale change of the pods' controller is
 * seen at the next pod event. Status writes are Updates carrying the resourceVersion read, so
 * an eviction's decrement that committed in between makes the write conflict and the PDB is
 * requeued (rate-limited), never overwritten with a stale budget.
 */
import type { ClusterContext } from '../api/context.js';
import { matchesSelector } from '../api/labels.js';
import { controllerOf } from '../api/owners.js';
import { isPodReady } from '../api/pod-lifecycle.js';
import { conditionsAreUpToDate, setDisruptionAllowedCondition, statusOf, updateDisruptionAllowedCondition } from '../api/poddisruptionbudget.js';
import { scaledValue } from '../api/intstr.js';
import { objectKey } from '../api/store.js';
import type { OwnerReference, Pod, PodDisruptionBudget, PodDisruptionBudgetStatus } from '../api/types.js';
import { WorkQueue } from './work-queue.js';

/** disruption.go DeletionTimeout: how long an approved eviction keeps its pod out of currentHealthy. */
export const DELETION_TIMEOUT = 120;

/** A pod controller's identity and desired scale (disruption.go controllerAndScale). */
export type ScaleFinder = (ref: OwnerReference, namespace: string) => { uid: string; scale: number } | undefined;

export interface ExpectedCount {
  expectedCount: number;
  desiredHealthy: number;
  unmanagedPods: string[];
}

/**
 * getExpectedScale: the sum of the scales of the controllers of the pods, each controller once;
 * pods without a controller are reported, a controller of no known scale is an error.
 */
function expectedScale(pods: readonly Pod[], scaleOf: ScaleFinder): { expectedCount: number; unmanagedPods: string[] } {
  const scales = new Map<string, number>();
  const unmanagedPods: string[] = [];
  for (const pod of pods) {
    const ref = controllerOf(pod.metadata);
    if (!ref) {
      unmanagedPods.push(pod.metadata.name);
      continue;
    }
    if (scales.has(ref.uid)) continue;
    const found = scaleOf(ref, pod.metadata.namespace!);
    if (!found) throw new Error(`found no controllers for pod "${pod.metadata.name}"`);
    scales.set(found.uid, found.scale);
  }
  let expectedCount = 0;
  for (const s of scales.values()) expectedCount += s;
  return { expectedCount, unmanagedPods };
}

/**
 * getExpectedPodCount: an integer minAvailable needs no scale (expectedCount = the pods
 * selected); a percentage, and maxUnavailable in either form, are taken of the controllers' scale,
 * rounding up (intstr.GetScaledValueFromIntOrPercent(..., true)). Throws the upstream error text.
 */
export function expectedPodCount(spec: PodDisruptionBudget['spec'], pods: readonly Pod[], scaleOf: ScaleFinder): ExpectedCount {
  if (spec.maxUnavailable !== undefined) {
    const { expectedCount, unmanagedPods } = expectedScale(pods, scaleOf);
    const maxUnavailable = scaledValue(spec.maxUnavailable, expectedCount, true);
    return { expectedCount, desiredHealthy: Math.max(0, expectedCount - maxUnavailable), unmanagedPods };
  }
  if (spec.minAvailable !== undefined) {
    if (typeof spec.minAvailable === 'number') return { expectedCount: pods.length, desiredHealthy: spec.minAvailable, unmanagedPods: [] };
    const { expectedCount, unmanagedPods } = expectedScale(pods, scaleOf);
    return { expectedCount, desiredHealthy: scaledValue(spec.minAvailable, expectedCount, true), unmanagedPods };
  }
  return { expectedCount: 0, desiredHealthy: 0, unmanagedPods: [] };
}

/**
 * buildDisruptedPodMap: keeps the approved evictions whose pod still exists, is not yet being
 * deleted and was approved less than DELETION_TIMEOUT ago; returns when to look again.
 */
export function buildDisruptedPodMap(pods: readonly Pod[], disrupted: Readonly<Record<string, number>>, now: number): { disruptedPods: Record<string, number>; recheckTime?: number } {
  const disruptedPods: Record<string, number> = {};
  let recheckTime: number | undefined;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp !== undefined) continue;
    const at = disrupted[pod.metadata.name];
    if (at === undefined) continue;
    const expectedDeletion = at + DELETION_TIMEOUT;
    if (expectedDeletion < now) continue; // upstream records a NotDeleted event and forgets it
    if (recheckTime === undefined || expectedDeletion < recheckTime) recheckTime = expectedDeletion;
    disruptedPods[pod.metadata.name] = at;
  }
  return { disruptedPods, recheckTime };
}

/** countHealthyPods: Ready pods, not being deleted and not just approved for eviction. */
export function countHealthyPods(pods: readonly Pod[], disruptedPods: Readonly<Record<string, number>>, now: number): number {
  let healthy = 0;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp !== undefined) continue;
    const at = disruptedPods[pod.metadata.name];
    if (at !== undefined && at + DELETION_TIMEOUT > now) continue;
    if (isPodReady(pod)) healthy++;
  }
  return healthy;
}

/** updatePdbStatus's arithmetic: no disruption while the budget selects nothing expected, or is at or below its floor. */
export function disruptionsAllowed(currentHealthy: number, desiredHealthy: number, expectedCount: number): number {
  const allowed = currentHealthy - desiredHealthy;
  return expectedCount <= 0 || allowed <= 0 ? 0 : allowed;
}

function sameRecord(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/** The pods a PDB selects (getPodsForPdb: LabelSelectorAsSelector, so a missing selector selects none). */
export function podsForPdb(pdb: PodDisruptionBudget, pods: readonly Pod[]): Pod[] {
  return pods.filter((p) => matchesSelector(pdb.spec?.selector, p.metadata.labels));
}

export class DisruptionController {
  private readonly queue: WorkQueue;
  /** The recheck queue (AddAfter): at most one pending recheck per PDB, the earliest asked for. */
  private readonly rechecks = new Map<string, number>();

  constructor(private readonly ctx: ClusterContext) {
    this.queue = new WorkQueue(ctx.sim, (key) => this.sync(key));
    ctx.api.watch('PodDisruptionBudget', (_type, pdb) => this.queue.add(objectKey(pdb.metadata.namespace, pdb.metadata.name)));
    ctx.api.watch('Pod', (_type, pod) => this.onPod(pod));
  }

  get workQueue(): WorkQueue {
    return this.queue;
  }

  /** addPod/updatePod/deletePod: the pod's PDB (the first, warning when several match) is synced. */
  private onPod(pod: Pod): void {
    const pdbs = this.ctx.api.list('PodDisruptionBudget', pod.metadata.namespace).filter((b) => matchesSelector(b.spec?.selector, pod.metadata.labels));
    if (pdbs.length === 0) return;
    if (pdbs.length > 1) {
      this.ctx.event('Warning', 'MultiplePodDisruptionBudgets', pod, `Pod "${pod.metadata.namespace}"/"${pod.metadata.name}" matches multiple PodDisruptionBudgets.  Chose "${pdbs[0]!.metadata.name}" arbitrarily.`);
    }
    this.queue.add(objectKey(pdbs[0]!.metadata.namespace, pdbs[0]!.metadata.name));
  }

  /** The finders of disruption.go: a ReplicaSet under a Deployment counts as the Deployment; StatefulSets; ReplicaSets. */
  private readonly scaleOf: ScaleFinder = (ref, namespace) => {
    const { api } = this.ctx;
    if (ref.kind === 'ReplicaSet') {
      const rs = api.get('ReplicaSet', namespace, ref.name);
      if (!rs || rs.metadata.uid !== ref.uid) return undefined;
      const owner = controllerOf(rs.metadata);
      if (owner?.kind === 'Deployment') {
        const d = api.get('Deployment', namespace, owner.name);
        return d && d.metadata.uid === owner.uid ? { uid: d.metadata.uid!, scale: d.spec.replicas ?? 1 } : undefined;
      }
      return { uid: rs.metadata.uid!, scale: rs.spec.replicas ?? 1 };
    }
    if (ref.kind === 'StatefulSet') {
      const ss = api.get('StatefulSet', namespace, ref.name);
      return ss && ss.metadata.uid === ref.uid ? { uid: ss.metadata.uid!, scale: ss.spec.replicas ?? 1 } : undefined;
    }
    return undefined;
  };

  private sync(key: string): void {
    const [namespace, name] = key.split('/') as [string, string];
    const pdb = this.ctx.api.get('PodDisruptionBudget', namespace, name);
    if (!pdb) return;
    const now = this.ctx.sim.now;
    const pods = podsForPdb(pdb, this.ctx.api.list('Pod', namespace));
    if (pods.length === 0) this.ctx.event('Normal', 'NoPods', pdb, 'No matching pods found');
    let expected: ExpectedCount;
    try {
      expected = expectedPodCount(pdb.spec ?? {}, pods, this.scaleOf);
    } catch (e) {
      const message = (e as Error).message;
      this.ctx.event('Warning', 'CalculateExpectedPodCountFailed', pdb, `Failed to calculate the number of expected pods: ${message}`);
      return this.failSafe(key, pdb, message);
    }
    if (expected.unmanagedPods.length > 0) {
      this.ctx.event(
        'Warning',
        'UnmanagedPods',
        pdb,
        'Pods selected by this PodDisruptionBudget were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.',
      );
    }
    const old = statusOf(pdb);
    const { disruptedPods, recheckTime } = buildDisruptedPodMap(pods, old.disruptedPods, now);
    const currentHealthy = countHealthyPods(pods, disruptedPods, now);
    const allowed = disruptionsAllowed(currentHealthy, expected.desiredHealthy, expected.expectedCount);
    const generation = pdb.metadata.generation ?? 1;
    const unchanged =
      old.currentHealthy === currentHealthy &&
      old.desiredHealthy === expected.desiredHealthy &&
      old.expectedPods === expected.expectedCount &&
      old.disruptionsAllowed === allowed &&
      sameRecord(old.disruptedPods, disruptedPods) &&
      old.observedGeneration === generation &&
      conditionsAreUpToDate(pdb);
    if (!unchanged) {
      const status: PodDisruptionBudgetStatus = {
        currentHealthy,
        desiredHealthy: expected.desiredHealthy,
        expectedPods: expected.expectedCount,
        disruptionsAllowed: allowed,
        disruptedPods,
        observedGeneration: generation,
        conditions: old.conditions.map((c) => ({ ...c })),
      };
      updateDisruptionAllowedCondition(status, now);
      this.write(key, pdb, status);
    }
    // The recheck queue: an approved eviction whose pod is not deleted stops counting at DELETION_TIMEOUT.
    if (recheckTime !== undefined) this.recheckAt(key, recheckTime);
  }

  private recheckAt(key: string, time: number): void {
    const pending = this.rechecks.get(key);
    if (pending !== undefined && pending <= time) return;
    this.rechecks.set(key, time);
    this.ctx.sim.schedule(time, () => {
      if (this.rechecks.get(key) !== time) return;
      this.rechecks.delete(key);
      this.queue.add(key);
    });
  }

  /** failSafe: with the budget unknown, at least allow no disruption. */
  private failSafe(key: string, pdb: PodDisruptionBudget, message: string): void {
    const old = statusOf(pdb);
    const status: PodDisruptionBudgetStatus = { ...old, disruptedPods: { ...old.disruptedPods }, disruptionsAllowed: 0, conditions: old.conditions.map((c) => ({ ...c })) };
    setDisruptionAllowedCondition(status, { status: 'False', reason: 'SyncFailed', message, observedGeneration: status.observedGeneration }, this.ctx.sim.now);
    this.write(key, pdb, status);
  }

  /** UpdateStatus with the resourceVersion read: a conflict or failure requeues the PDB with back-off. */
  private write(key: string, pdb: PodDisruptionBudget, status: PodDisruptionBudgetStatus): void {
    this.ctx.api.update(
      'PodDisruptionBudget',
      pdb.metadata.namespace,
      pdb.metadata.name,
      (p) => {
        p.status = status;
      },
      (result) => {
        if (result === 'ok') this.queue.forget(key);
        else if (result !== 'NotFound') this.queue.addRateLimited(key);
      },
      pdb.metadata.resourceVersion,
    );
  }
}
