/**
 * What the kubelet asks of the container runtime and the application inside the containers.
 * The workload model implements it (engine/workload/pod-servers.ts): a started pod serves
 * requests; SIGTERM makes it stop taking new work and finish what it has; SIGKILL ends it.
 */
import type { Pod } from '../api/types.js';

export interface ContainerRuntime {
  /** Containers started: the application listens on the pod IP. */
  start(pod: Pod, nodeName: string): void;
  /** SIGTERM. `exited` is called once the application has finished its in-flight work. */
  terminate(pod: Pod, exited: () => void): void;
  /** SIGKILL at the end of the grace period: whatever is in flight is reset. */
  kill(pod: Pod): void;
  /** The machine lost power: nothing in flight is ever answered, and packets to the pod vanish. */
  lose(pod: Pod): void;
}
