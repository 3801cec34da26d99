/**
 * A small cluster that runs on its own (API server, scheduler, no kubelets, no controllers), for
 * tests of the scheduler's event handlers and queue: the test changes Nodes and Pods through the
 * API at chosen times and reads the scheduler's events.
 */
import { createContext } from '../../engine/api/context.js';
import { ApiServer } from '../../engine/api/store.js';
import type { Node, Pod } from '../../engine/api/types.js';
import { Simulation } from '../../engine/core/simulation.js';
import { DEFAULTS } from '../../engine/scenario/defaults.js';
import { DEFAULT_SCHEDULER_CONFIG, type SchedulerConfig } from '../../engine/scheduler/config.js';
import { IN_TREE_REGISTRY, type Registry } from '../../engine/scheduler/registry.js';
import { Scheduler } from '../../engine/scheduler/scheduler.js';
import { MemoryObserver } from '../helpers/memory-observer.js';

export function cluster(nodes: Node[], pods: Pod[], config: SchedulerConfig = DEFAULT_SCHEDULER_CONFIG, registry: Registry = IN_TREE_REGISTRY) {
  const sim = new Simulation(1);
  const api = new ApiServer(sim, { writeLatency: 0.01, watchDelay: 0.005 });
  const obs = new MemoryObserver();
  const scheduler = new Scheduler(createContext(sim, api, obs, DEFAULTS), config, registry);
  for (const n of nodes) api.create(n);
  for (const p of pods) api.create(p);
  return {
    sim,
    api,
    scheduler,
    /** At `at` seconds, change Node `name` (an API write, seen by the scheduler 15 ms later). */
    at(at: number, name: string, edit: (n: Node) => void) {
      sim.schedule(at, () => api.update('Node', undefined, name, edit));
    },
    /** When FailedScheduling was recorded for `pod`, in milliseconds. */
    failures: (pod: string) => obs.eventsWith('FailedScheduling').filter((e) => e.name === pod).map((e) => Math.round(e.time * 1000)),
    /** The FailedScheduling messages of `pod`. */
    failureMessages: (pod: string) => obs.eventsWith('FailedScheduling').filter((e) => e.name === pod).map((e) => e.message),
    scheduledTo: (pod: string) => obs.eventsWith('Scheduled').find((e) => e.name === pod)?.message.replace(/.* to /, ''),
    scheduledAt: (pod: string) => obs.eventsWith('Scheduled').find((e) => e.name === pod)?.time ?? NaN,
  };
}
