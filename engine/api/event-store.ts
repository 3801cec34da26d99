/**
 * The core/v1 Events the API server holds, for `kubectl get events`. Fed by ctx.event (which
 * also writes each occurrence to the observer, events.csv, unchanged); nothing here schedules a
 * simulation event, so keeping events changes no output of a run.
 *
 * Recording is client-go's legacy recorder (tools/record): makeEvent names the event
 * `<object name>.<UnixNano in hex>` in the object's namespace ("default" for cluster-scoped
 * objects such as nodes). kubesim's clock starts at the Unix epoch, so the hex is zero-padded to
 * the 16 digits a real clock has given since 2006: names then sort by time within an object, as
 * on a real cluster (the API lists events by name, and kubectl get does not sort them). And the EventCorrelator's eventLogger turns an exact repeat (same
 * source, object, type, reason and message: getEventKey) into an update of the event it already
 * made: same name and firstTimestamp, `count` + 1, lastTimestamp now. The logger is an LRU of
 * 4096 entries (maxLruCacheEntries), so it remembers events the API server has already expired;
 * a repeat of one re-creates it with the remembered name, count and firstTimestamp, as
 * recordEvent does when its PATCH finds the event gone.
 *
 * Left out, for simplicity: the EventAggregator (10 similar events with different messages
 * within 10 minutes become "(combined from similar events): ..."), the spam filter's token
 * bucket, the object's uid in the key (kubesim's InvolvedObject has none), and source.host.
 *
 * The API server deletes an event `--event-ttl` (default 1h) after it was last written (each
 * write renews its etcd lease). Expiry is applied when events are read, and when the store
 * grows past MAX_STORED, which bounds memory: the real API server has no such cap (etcd holds
 * every unexpired event); kubesim drops the least recently seen beyond it.
 */
import type { InvolvedObject } from './context.js';

/** kube-apiserver --event-ttl default. */
export const EVENT_TTL_SECONDS = 3600;
/** client-go tools/record maxLruCacheEntries. */
const LOGGER_CACHE_SIZE = 4096;
/** kubesim's bound on stored events (see above); past it, expired then least recently seen go. */
export const MAX_STORED = 10_000;
/**
 * What a prune past MAX_STORED leaves: a tenth below the bound, so that a run writing many
 * distinct events sorts the store once per thousand of them rather than on every one.
 */
export const PRUNE_TO = MAX_STORED - MAX_STORED / 10;

export interface CoreEvent {
  apiVersion: 'v1';
  kind: 'Event';
  metadata: { name: string; namespace: string; creationTimestamp: number };
  involvedObject: { apiVersion?: string; kind: string; name: string; namespace?: string };
  reason: string;
  message: string;
  type: string;
  count: number;
  /** Seconds of simulated time, as every kubesim time; printed as metav1.Time. */
  firstTimestamp: number;
  lastTimestamp: number;
  source: { component?: string };
  eventTime: null;
  reportingComponent: string;
  reportingInstance: string;
}

/** kubesim's own records (fault injection, kubectl's output), not Kubernetes events: events.csv only. */
const SIMULATOR_REASONS: ReadonlySet<string> = new Set(['Kubesim', 'KubesimError', 'Kubectl', 'KubectlError']);

const API_VERSIONS: Readonly<Record<string, string>> = {
  Pod: 'v1',
  Node: 'v1',
  Service: 'v1',
  PersistentVolumeClaim: 'v1',
  PersistentVolume: 'v1',
  Deployment: 'apps/v1',
  ReplicaSet: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  HorizontalPodAutoscaler: 'autoscaling/v2',
  PodDisruptionBudget: 'policy/v1',
  Ingress: 'networking.k8s.io/v1',
};

const BY_REASON: Readonly<Record<string, string>> = {
  Scheduled: 'default-scheduler',
  FailedScheduling: 'default-scheduler',
  Preempted: 'default-scheduler',
  Pulling: 'kubelet',
  Pulled: 'kubelet',
  Created: 'kubelet',
  Started: 'kubelet',
  Killing: 'kubelet',
  Unhealthy: 'kubelet',
  BackOff: 'kubelet',
  FailedCreatePodSandBox: 'kubelet',
  NodeReady: 'kubelet',
  NodeNotReady: 'node-controller',
  TaintManagerEviction: 'taint-eviction-controller',
  ScalingReplicaSet: 'deployment-controller',
  FailedDaemonPod: 'daemonset-controller',
  NoPods: 'controllermanager',
  MultiplePodDisruptionBudgets: 'controllermanager',
  CalculateExpectedPodCountFailed: 'controllermanager',
  SuccessfulRescale: 'horizontal-pod-autoscaler',
  FailedRescale: 'horizontal-pod-autoscaler',
  FailedGetScale: 'horizontal-pod-autoscaler',
  EnsuringLoadBalancer: 'service-controller',
  EnsuredLoadBalancer: 'service-controller',
  // MetalLB's controller records as its process name (controller/main.go ProcessName, internal/k8s New: GetEventRecorderFor).
  IPAllocated: 'metallb-controller',
  AllocationFailed: 'metallb-controller',
  LoadBalancerFailed: 'metallb-controller',
  ClearAssignment: 'metallb-controller',
  deprecatedAnnotation: 'metallb-controller',
  nolbIPsIPFamily: 'metallb-controller',
  ClaimLost: 'persistentvolume-controller',
};

const BY_KIND: Readonly<Record<string, string>> = {
  ReplicaSet: 'replicaset-controller',
  StatefulSet: 'statefulset-controller',
  DaemonSet: 'daemonset-controller',
  PersistentVolumeClaim: 'persistentvolume-controller',
  PersistentVolume: 'persistentvolume-controller',
};

/** The recording component (source.component) where kubesim knows it. */
export function sourceComponent(reason: string, kind: string): string | undefined {
  return BY_REASON[reason] ?? BY_KIND[kind];
}

interface LoggedEvent {
  name: string;
  namespace: string;
  count: number;
  firstTimestamp: number;
}

export class EventStore {
  /** The API server's events by `namespace/name`. */
  private readonly events = new Map<string, CoreEvent>();
  /** The correlator's eventLogger: key → what it made last (LRU by Map order). */
  private readonly logger = new Map<string, LoggedEvent>();

  /** Records one occurrence at `now` (seconds). */
  record(now: number, type: string, reason: string, object: InvolvedObject, message: string): void {
    if (SIMULATOR_REASONS.has(reason) || object.kind === 'Cluster') return;
    const component = sourceComponent(reason, object.kind);
    const objectNamespace = object.metadata.namespace ?? '';
    const key = [component ?? '', object.kind, objectNamespace, object.metadata.name, type, reason, message].join('\u0000');
    let logged = this.logger.get(key);
    if (logged) {
      this.logger.delete(key);
      logged.count++;
    } else {
      const namespace = objectNamespace === '' ? 'default' : objectNamespace;
      logged = { name: this.freshName(namespace, object.metadata.name, now), namespace, count: 1, firstTimestamp: now };
      if (this.logger.size >= LOGGER_CACHE_SIZE) this.logger.delete(this.logger.keys().next().value!);
    }
    this.logger.set(key, logged);
    const storeKey = `${logged.namespace}/${logged.name}`;
    const existing = this.events.get(storeKey);
    const live = existing !== undefined && !expired(existing, now);
    const apiVersion = API_VERSIONS[object.kind];
    this.events.set(storeKey, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: logged.name, namespace: logged.namespace, creationTimestamp: live ? existing.metadata.creationTimestamp : now },
      involvedObject: {
        ...(apiVersion !== undefined && { apiVersion }),
        kind: object.kind,
        name: object.metadata.name,
        ...(objectNamespace !== '' && { namespace: objectNamespace }),
      },
      reason,
      message,
      type,
      count: logged.count,
      firstTimestamp: logged.firstTimestamp,
      lastTimestamp: now,
      source: component === undefined ? {} : { component },
      eventTime: null,
      reportingComponent: '',
      reportingInstance: '',
    });
    if (this.events.size > MAX_STORED) this.prune(now);
  }

  /** The unexpired events at `now`, in one namespace or all, in the API's list order (namespace, then name). */
  list(now: number, namespace?: string): CoreEvent[] {
    const out: CoreEvent[] = [];
    for (const [k, e] of this.events) {
      if (expired(e, now)) this.events.delete(k);
      else if (namespace === undefined || e.metadata.namespace === namespace) out.push(e);
    }
    return out.sort((a, b) => compare(a.metadata.namespace, b.metadata.namespace) || compare(a.metadata.name, b.metadata.name));
  }

  /** `<name>.<hex UnixNano, 16 digits>`, one nanosecond later while the name is taken (real clocks never repeat). */
  private freshName(namespace: string, objectName: string, now: number): string {
    let nanos = BigInt(Math.round(now * 1e9));
    let name = `${objectName}.${nanos.toString(16).padStart(16, '0')}`;
    while (this.events.has(`${namespace}/${name}`)) {
      nanos += 1n;
      name = `${objectName}.${nanos.toString(16).padStart(16, '0')}`;
    }
    return name;
  }

  private prune(now: number): void {
    for (const [k, e] of this.events) if (expired(e, now)) this.events.delete(k);
    if (this.events.size <= PRUNE_TO) return;
    const byAge = [...this.events].sort(([ka, a], [kb, b]) => a.lastTimestamp - b.lastTimestamp || compare(ka, kb));
    for (const [k] of byAge.slice(0, this.events.size - PRUNE_TO)) this.events.delete(k);
  }
}

function expired(e: CoreEvent, now: number): boolean {
  return now - e.lastTimestamp >= EVENT_TTL_SECONDS;
}

/** Go's string order (bytes), which etcd keys sort by. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
