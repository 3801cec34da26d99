/**
 * What every component of a run shares: the kernel, the API server, and the event recorder.
 * Passed explicitly; there are no module-level singletons, so runs in one process never mix.
 */
import type { Simulation } from '../core/simulation.js';
import type { Observer, EventType } from '../metrics/observer.js';
import type { Defaults } from '../scenario/defaults.js';
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
  /** Records a Kubernetes Event about `object` (what `kubectl get events` lists). */
  event(type: EventType, reason: string, object: InvolvedObject, message: string): void;
}

export function createContext(sim: Simulation, api: ApiServer, observer: Observer, defaults: Defaults): ClusterContext {
  return {
    sim,
    api,
    observer,
    defaults,
    event(type, reason, object, message) {
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
