/**
 * The HorizontalPodAutoscaler controller of kube-controller-manager
 * (pkg/controller/podautoscaler/horizontal.go), acting inside a run.
 *
 * Timing: every HPA is queued with a delay of one sync period when it appears, and again after
 * each sync ("Requests are always added to queue with resyncPeriod delay", enqueueHPA and
 * processNextWorkItem's AddRateLimited with a fixed-interval limiter), so an HPA created at t
 * syncs at t + 15 s, t + 30 s, ... (--horizontal-pod-autoscaler-sync-period). Its own status
 * writes re-enqueue it, which the pending request already covers.
 *
 * One sync: read the scale target (spec.replicas, status.replicas, its selector, as the scale
 * subresource shows them), list the pods it selects, ask the metrics APIs (metrics-server's
 * PodMetrics, engine/metrics/metrics-server.ts; the scenario's Object and External metrics,
 * engine/controllers/hpa/scenario-metrics.ts), run the pure reconcile()
 * (engine/controllers/hpa/reconcile.ts) with this HPA's stored recommendations and scale
 * events, write spec.replicas of the target when it changes, record the events, and write the
 * status (currentReplicas, desiredReplicas, currentMetrics, conditions, lastScaleTime).
 */
import type { ClusterContext } from '../api/context.js';
import { matchesSelector } from '../api/labels.js';
import type { Deployment, Pod, ReplicaSet } from '../api/types.js';
import type { EventHandle } from '../core/simulation.js';
import type { MetricsServer } from '../metrics/metrics-server.js';
import type { ControllerManagerFlags } from '../scenario/types.js';
import { runMetricsSource } from './hpa/metrics-client.js';
import { scenarioMetricsView, type ScenarioMetrics } from './hpa/scenario-metrics.js';
import { defaultMetrics, reconcile, recordRescale, type ReconcileResult } from './hpa/reconcile.js';
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerCondition, HpaControllerConfig, HpaHistory, MetricSpec, PodSample } from './hpa/types.js';

interface Tracked {
  timer: EventHandle | undefined;
  history: HpaHistory;
}

/** A condition as stored in status: with the time its status last changed. */
type StoredCondition = HorizontalPodAutoscalerCondition & { lastTransitionTime: number };

export class HorizontalPodAutoscalerController {
  private readonly tracked = new Map<string, Tracked>();
  private readonly config: HpaControllerConfig;
  private readonly syncPeriod: number;
  /** False while kube-controller-manager is stopped: syncs are skipped, the timers keep going. */
  running = true;

  constructor(
    private readonly ctx: ClusterContext,
    private readonly metricsServer: MetricsServer,
    flags: ControllerManagerFlags = {},
    /** spec.metrics: the Object and External metrics the adapters serve (none when absent). */
    private readonly scenarioMetrics?: ScenarioMetrics,
  ) {
    const d = ctx.defaults.hpa;
    this.syncPeriod = flags.syncPeriod ?? d.syncPeriod;
    this.config = {
      tolerance: flags.tolerance ?? d.tolerance,
      cpuInitializationPeriod: flags.cpuInitializationPeriod ?? d.cpuInitializationPeriod,
      initialReadinessDelay: flags.initialReadinessDelay ?? d.initialReadinessDelay,
      downscaleStabilization: flags.downscaleStabilization ?? d.downscaleStabilization,
    };
    ctx.api.watch('HorizontalPodAutoscaler', (type, hpa) => {
      const key = `${hpa.metadata.namespace}/${hpa.metadata.name}`;
      if (type === 'ADDED' && !this.tracked.has(key)) {
        const entry: Tracked = { timer: undefined, history: { recommendations: undefined, scaleUpEvents: [], scaleDownEvents: [] } };
        this.tracked.set(key, entry);
        this.enqueue(key, entry);
      } else if (type === 'DELETED') {
        // The controller forgets a deleted HPA's recommendations and scale events.
        const entry = this.tracked.get(key);
        if (entry?.timer !== undefined) ctx.sim.cancel(entry.timer);
        this.tracked.delete(key);
      }
    });
  }

  private enqueue(key: string, entry: Tracked): void {
    entry.timer = this.ctx.sim.after(this.syncPeriod, () => {
      entry.timer = undefined;
      if (this.tracked.get(key) !== entry) return;
      if (this.running) this.sync(key, entry);
      this.enqueue(key, entry);
    });
  }

  private sync(key: string, entry: Tracked): void {
    const { api, sim } = this.ctx;
    const slash = key.indexOf('/');
    const namespace = key.slice(0, slash);
    const hpa = api.get('HorizontalPodAutoscaler', namespace, key.slice(slash + 1));
    if (!hpa) return;
    const now = sim.now;
    const ref = hpa.spec.scaleTargetRef;
    const target: Deployment | ReplicaSet | undefined =
      ref.kind === 'Deployment' ? api.get('Deployment', namespace, ref.name) : ref.kind === 'ReplicaSet' ? api.get('ReplicaSet', namespace, ref.name) : undefined;
    if (!target) {
      const message = `${ref.kind.toLowerCase()}s.apps "${ref.name}" not found`;
      this.ctx.event('Warning', 'FailedGetScale', hpa, message);
      const conditions = this.stamp(hpa, [
        { type: 'AbleToScale', status: 'False', reason: 'FailedGetScale', message: `the HPA controller was unable to get the target's current scale: ${message}` },
      ]);
      this.writeStatus(hpa, { conditions });
      return;
    }
    const selector = target.spec.selector;
    const pods = api.list('Pod', namespace).filter((p) => matchesSelector(selector, p.metadata.labels));
    const result = reconcile({
      hpa,
      scale: { specReplicas: target.spec.replicas ?? 1, statusReplicas: target.status?.replicas ?? 0, selector },
      pods: pods.map(podSample),
      metrics: runMetricsSource(this.metricsServer, pods, this.ctx.defaults.metrics.requestsPerSecondMetric, scenarioMetricsView(this.scenarioMetrics, namespace, now)),
      history: entry.history,
      now,
      config: this.config,
    });

    const metricsFailed = result.recommendation === null && result.limitReason === null && failedMetrics(result);
    const status = {
      currentReplicas: result.currentReplicas,
      // When no metric could be computed upstream leaves desiredReplicas as it was (setCurrentReplicasAndMetricsInStatus).
      ...(metricsFailed ? {} : { desiredReplicas: result.desiredReplicas }),
      currentMetrics: currentMetrics(defaultMetrics(hpa), result),
    };
    // The metric events come from computing the replicas, before any scale update.
    const rescaleEvent = result.rescale ? result.events.find((e) => e.reason === 'SuccessfulRescale') : undefined;
    for (const e of result.events) if (e !== rescaleEvent) this.ctx.event(e.type, e.reason, hpa, e.message);
    if (!result.rescale) {
      this.writeStatus(hpa, { ...status, conditions: this.stamp(hpa, result.conditions) });
      return;
    }
    const desired = result.desiredReplicas;
    const reason = result.rescaleReason;
    // The scale subresource's write: spec.replicas, the same field on a Deployment and a ReplicaSet.
    // reconcileAutoscaler waits for the API's answer: SuccessfulRescale and the status (with
    // lastScaleTime, setStatus's time.Now() after the update) only once the update succeeded; FailedRescale, AbleToScale=False
    // FailedUpdateScale and a status without desiredReplicas or lastScaleTime when it failed.
    api.update(ref.kind as 'Deployment', namespace, ref.name, (t) => {
      if (t.spec.replicas === desired) return false;
      t.spec.replicas = desired;
    }, (outcome, message) => {
      const current = api.get('HorizontalPodAutoscaler', namespace, hpa.metadata.name);
      if (!current) return;
      if (outcome === 'ok') {
        if (rescaleEvent) this.ctx.event(rescaleEvent.type, rescaleEvent.reason, current, rescaleEvent.message);
        recordRescale(hpa, entry.history, this.config, result.currentReplicas, desired, now);
        this.writeStatus(current, { ...status, conditions: this.stamp(current, result.conditions), lastScaleTime: this.ctx.sim.now });
        return;
      }
      const error = message ?? (outcome === 'NotFound' ? `${ref.kind.toLowerCase()}s.apps "${ref.name}" not found` : outcome);
      this.ctx.event('Warning', 'FailedRescale', current, `New size: ${desired}; reason: ${reason}; error: ${error}`);
      const conditions = result.conditions.map((c) =>
        c.type === 'AbleToScale' ? { ...c, status: 'False', reason: 'FailedUpdateScale', message: `the HPA controller was unable to update the target scale: ${error}` } : c,
      );
      const { desiredReplicas: _kept, ...withoutDesired } = status as typeof status & { desiredReplicas?: number };
      this.writeStatus(current, { ...withoutDesired, conditions: this.stamp(current, conditions as HorizontalPodAutoscalerCondition[]) });
    });
  }

  /** Conditions with lastTransitionTime: kept while the status stays, now when it changes (setConditionInList). */
  private stamp(hpa: HorizontalPodAutoscaler, conditions: readonly HorizontalPodAutoscalerCondition[]): StoredCondition[] {
    const before = (hpa.status?.conditions ?? []) as StoredCondition[];
    const merged = new Map<string, StoredCondition>(before.map((c) => [c.type, { ...c }]));
    for (const c of conditions) {
      const old = merged.get(c.type);
      merged.set(c.type, { ...c, lastTransitionTime: old && old.status === c.status ? old.lastTransitionTime : this.ctx.sim.now });
    }
    return [...merged.values()];
  }

  private writeStatus(hpa: HorizontalPodAutoscaler, changes: Record<string, unknown>): void {
    this.ctx.api.update('HorizontalPodAutoscaler', hpa.metadata.namespace, hpa.metadata.name, (h) => {
      h.status = { ...(h.status ?? {}), ...changes, observedGeneration: h.metadata.generation };
    });
  }
}

function failedMetrics(result: ReconcileResult): boolean {
  const active = result.conditions.find((c) => c.type === 'ScalingActive');
  return active?.status === 'False' && active.reason !== 'ScalingDisabled';
}

/** A Pod as the replica calculator sees it. */
function podSample(pod: Pod): PodSample {
  const status = pod.status;
  const ready = status?.conditions?.find((c) => c.type === 'Ready');
  const sample: PodSample = {
    name: pod.metadata.name,
    phase: status?.phase ?? 'Pending',
    deleting: pod.metadata.deletionTimestamp !== undefined,
    containers: pod.spec.containers.map((c) => (c.resources?.requests ? { name: c.name, requests: c.resources.requests } : { name: c.name })),
  };
  if (ready) sample.ready = { status: ready.status, lastTransitionTime: ready.lastTransitionTime ?? 0 };
  if (status?.startTime !== undefined) sample.startTime = status.startTime;
  return sample;
}

/** A milli-value as a quantity string, as the API writes it. */
function quantity(milli: number): string {
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/**
 * status.currentMetrics in autoscaling/v2 MetricStatus form, one per metric spec; a metric
 * that failed has an empty entry, as upstream leaves its slot zero-valued.
 */
function currentMetrics(specs: readonly MetricSpec[], result: ReconcileResult): Record<string, unknown>[] {
  // No metric computed this sync (scaling disabled, or outside [min, max]): no current metrics.
  if (result.metrics.length === 0) return [];
  return specs.map((spec, i) => {
    const m = result.metrics[i];
    if (!m || m.error !== undefined) return {};
    const current: Record<string, unknown> = {};
    if (m.currentAverageUtilization !== null) current.averageUtilization = m.currentAverageUtilization;
    if (m.currentAverageValueMilli !== null) current.averageValue = quantity(m.currentAverageValueMilli);
    if (m.currentValueMilli !== null) current.value = quantity(m.currentValueMilli);
    switch (spec.type) {
      case 'Resource':
        return { type: 'Resource', resource: { name: spec.resource!.name, current } };
      case 'ContainerResource':
        return { type: 'ContainerResource', containerResource: { name: spec.containerResource!.name, container: spec.containerResource!.container, current } };
      case 'Pods':
        return { type: 'Pods', pods: { metric: spec.pods!.metric, current } };
      case 'Object':
        return { type: 'Object', object: { describedObject: spec.object!.describedObject, metric: spec.object!.metric, current } };
      case 'External':
        return { type: 'External', external: { metric: spec.external!.metric, current } };
    }
  });
}
