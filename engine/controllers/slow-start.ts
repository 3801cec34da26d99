/**
 * slowStartBatch (pkg/controller/replicaset/replica_set.go; the DaemonSet controller's syncNodes
 * batches its creates the same way): `count` calls made in batches of 1, 2, 4, 8, ...
 * (controller.SlowStartInitialBatchSize = 1, doubling, the last batch what remains), each batch
 * started once every call of the previous one has answered. A batch with an error is the last:
 * the calls not yet made are skipped, so a controller that cannot create pods (a quota, an
 * admission refusal) sends one request per sync instead of `count`.
 *
 * In kubesim a call answers when the API server does, one write latency after it was made; so
 * with write latency w the batches of a sync at t0 go out at t0, t0 + w, t0 + 2w, ... and their
 * pods are created one w later each.
 */

/** controller.SlowStartInitialBatchSize (pkg/controller/controller_utils.go). */
export const SLOW_START_INITIAL_BATCH_SIZE = 1;

/**
 * @param call makes one call; it must call `answered` once, with whether the call succeeded
 * @param finished after the last batch answered: how many calls were made, how many succeeded
 */
export function slowStartBatch(
  count: number,
  initialBatchSize: number,
  call: (answered: (ok: boolean) => void) => void,
  finished: (made: number, successes: number) => void,
): void {
  let made = 0;
  let successes = 0;
  const batch = (size: number): void => {
    if (size <= 0) return finished(made, successes);
    let pending = size;
    let errors = 0;
    made += size;
    for (let i = 0; i < size; i++) {
      call((ok) => {
        if (!ok) errors++;
        if (--pending > 0) return;
        successes += size - errors;
        if (errors > 0) finished(made, successes);
        else batch(Math.min(2 * size, count - made));
      });
    }
  };
  batch(Math.min(count, initialBatchSize));
}
