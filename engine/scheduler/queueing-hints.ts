/**
 * One profile's queueing hints: for each plugin that can reject a pod (its PreFilter and
 * Filter plugins), the cluster events it registered and their hints, and the decision the
 * scheduling queue takes with them for one unschedulable pod and one event.
 *
 * Upstream (Kubernetes 1.32, SchedulerQueueingHints on by default):
 *  - pkg/scheduler/scheduler.go buildQueueingHintMap: a registration without a hint gets
 *    defaultQueueingHintFn (always Queue); a plugin that registered Node/Add but not
 *    Node/UpdateNodeTaint also gets Node/UpdateNodeTaint with the default hint (the workaround
 *    for kubernetes#109437, still applied with hints on);
 *  - pkg/scheduler/framework/runtime/framework.go fillEnqueueExtensions / defaultEnqueueExtension:
 *    a plugin that does not implement EnqueueExtensions (kubesim: no eventsToRegister, as a
 *    user plugin) is registered for every event of every resource (UnrollWildCardResource),
 *    with the default hint;
 *  - pkg/scheduler/backend/queue/scheduling_queue.go isEventOfInterest and isPodWorthRequeuing:
 *    a pod no plugin rejected (an error) is worth requeuing on any event of interest; otherwise
 *    it is when one of the plugins that rejected it registered the event and its hint says
 *    Queue (a hint's error counts as Queue; kubesim's hints return no errors). Queue from a
 *    plugin that answered Pending moves the pod to activeQ at once (queueImmediately); from
 *    any other, after its back-off (queueAfterBackoff).
 */
import { ActionType, eventMatches, type ClusterEvent, type ClusterEventWithHint } from './cluster-event.js';
import type { PodInfo } from './node-info.js';
import type { QueueingStrategy } from './queue.js';
import type { Snapshot } from './snapshot.js';
import type { Plugin } from './types.js';

const NONE: ReadonlySet<string> = new Set();

/** What a plugin without eventsToRegister is registered for. */
const ALL_EVENTS: readonly ClusterEventWithHint[] = Object.freeze([{ event: { resource: '*', actionType: ActionType.All } }]);

export class QueueingHintMap {
  private readonly byPlugin = new Map<string, readonly ClusterEventWithHint[]>();

  constructor(plugins: Iterable<Plugin>) {
    for (const p of plugins) {
      if (this.byPlugin.has(p.name)) continue;
      const events = p.eventsToRegister ? [...p.eventsToRegister()] : [...ALL_EVENTS];
      const nodeEvents = events.filter((e) => e.event.resource === 'Node' || e.event.resource === '*');
      const nodeAdd = nodeEvents.some((e) => (e.event.actionType & ActionType.Add) !== 0);
      const nodeTaint = nodeEvents.some((e) => (e.event.actionType & ActionType.UpdateNodeTaint) !== 0);
      if (nodeAdd && !nodeTaint) events.push({ event: { resource: 'Node', actionType: ActionType.UpdateNodeTaint } });
      this.byPlugin.set(p.name, events);
    }
  }

  /** The registrations of one plugin (after the defaults above), for tests and explanations. */
  registrations(plugin: string): readonly ClusterEventWithHint[] | undefined {
    return this.byPlugin.get(plugin);
  }

  /** isEventOfInterest: some plugin of this profile registered the event. */
  interested(event: ClusterEvent): boolean {
    for (const events of this.byPlugin.values()) if (events.some((e) => eventMatches(e.event, event))) return true;
    return false;
  }

  /**
   * isPodWorthRequeuing: `rejectors` are the plugins that rejected `pod` in its last attempt,
   * `pending` those of them that answered Pending. Immediately when a pending plugin registered
   * `event` and its hint answers Queue; after the back-off when another rejector's does; else
   * skip. A pod no plugin rejected is always requeued after its back-off.
   */
  queueingStrategy(rejectors: ReadonlySet<string>, pending: ReadonlySet<string>, pod: PodInfo, event: ClusterEvent, oldObj: unknown, newObj: unknown, snapshot: Snapshot): QueueingStrategy {
    if (rejectors.size === 0 && pending.size === 0) return 'afterBackoff';
    let strategy: QueueingStrategy = 'skip';
    const names = pending.size === 0 ? rejectors : new Set([...rejectors, ...pending]);
    for (const name of names) {
      for (const e of this.byPlugin.get(name) ?? []) {
        if (!eventMatches(e.event, event)) continue;
        if (e.hint && e.hint(pod, oldObj, newObj, snapshot) !== 'Queue') continue;
        if (pending.has(name)) return 'immediately';
        if (pending.size === 0) return 'afterBackoff';
        strategy = 'afterBackoff';
      }
    }
    return strategy;
  }

  /** isPodWorthRequeuing for a pod no plugin answered Pending: true unless the event is skipped. */
  worthRequeuing(rejectors: ReadonlySet<string>, pod: PodInfo, event: ClusterEvent, oldObj: unknown, newObj: unknown, snapshot: Snapshot): boolean {
    return this.queueingStrategy(rejectors, NONE, pod, event, oldObj, newObj, snapshot) !== 'skip';
  }
}
