/**
 * What every component of a run shares: the kernel, the API server, and the event recorder.
 * Passed explicitly; there are no module-level singletons, so runs in one process never mix.
 */
import type { Simulation } from '../core/simulation.js';
import type { Observer, EventType } from '../metrics/observer.js';
import type { Defaults } from '../scenario/defaults.js';
import { EventStore } from './event-store.js';
import type { ApiServer } from './store.js';

export interface InvolvedObject {
  kind: string;
  metadata: { name: string; namespace?: string };
}

export interface ClusterContext {
  readonly sim: Simulation;
  readonly api: ApiServer;
  readonly observer: Observer;
  readonly defaults: Defaults;
  /** The Events the API server keeps (engine/api/event-store.ts), what `kubectl get events` lists. */
  readonly events: EventStore;
  /** Records a Kubernetes Event about `object` (what `kubectl get events` lists). */
  event(type: EventType, reason: string, object: InvolvedObject, message: string): void;
}

export function createContext(sim: Simulation, api: ApiServer, observer: Observer, defaults: Defaults): ClusterContext {
  const events = new EventStore();
  return {
    sim,
    api,
    observer,
    defaults,
    events,
    event(type, reason, object, message) {
      events.record(sim.now, type, reason, object, message);
      observer.event({
        time: sim.now,
        type,
        reason,
        kind: object.kind,
        namespace: object.metadata.namespace ?? '',
        name: object.metadata.name,
        message,
      });
    },
  };
}
