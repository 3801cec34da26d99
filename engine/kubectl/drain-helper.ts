/**
 * How `kubectl drain` removes the pods it chose (kubectl/pkg/drain/drain.go, Helper.evictPods
 * and Helper.deletePods), and what it prints meanwhile.
 *
 * Eviction (the default): every pod is evicted through the Eviction API on its own, printing
 * `evicting pod NS/NAME` before each attempt; a 429 (the PodDisruptionBudget allows no
 * disruption now) prints `error when evicting pods/"NAME" -n "NS" (will retry after 5s): ...`
 * and tries again 5 s later, until the eviction is accepted or --timeout passes. An accepted
 * pod is then waited for until it is gone (`pod/NAME evicted`).
 * --disable-eviction: every pod is deleted at once, bypassing budgets (`pod/NAME deleted`).
 *
 * Errors are gathered as utilerrors.NewAggregate does (one: itself; several, deduplicated:
 * `[a, b]`), and the node reported as cmd/drain's RunDrain does.
 */
import type { ClusterContext } from '../api/context.js';
import { evictPod } from '../api/eviction.js';
import { deletePod } from '../api/pod-lifecycle.js';
import type { Pod } from '../api/types.js';
import { goDuration } from '../node/backoff.js';
import { print, printError, type Target } from './output.js';

/** drain.go: `time.Sleep(5 * time.Second)` after a 429. */
export const EVICTION_RETRY_INTERVAL = 5;

const CONNECTION_REFUSED = 'The connection to the server was refused - did you specify the right host or port?';

export interface DrainRun {
  ctx: ClusterContext;
  node: string;
  /** Seconds; undefined means each pod's own terminationGracePeriodSeconds. */
  gracePeriod?: number;
  /** Seconds; 0 waits forever. */
  timeout: number;
  target: Target;
  line: string;
}

/** utilerrors.NewAggregate(errs).Error(). */
export function aggregate(errors: readonly string[]): string {
  const unique = [...new Set(errors)];
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`;
}

/** cmd/drain RunDrain's outcome for one node: `node/NODE drained`, or the error lines. */
function report(d: DrainRun, errors: readonly string[], pending: readonly Pod[]): void {
  const { ctx, target, line, node } = d;
  if (errors.length === 0) return print(ctx, target, line, `node/${node} drained`);
  const err = aggregate(errors);
  if (pending.length > 0) {
    printError(ctx, target, line, `There are pending pods in node "${node}" when an error occurred: ${err}`);
    for (const pod of pending) printError(ctx, target, line, `pod/${pod.metadata.name}`);
  }
  printError(ctx, target, line, `error: unable to drain node "${node}" due to error: ${err}, continuing command...`);
  printError(ctx, target, line, 'There are pending nodes to be drained:');
  printError(ctx, target, line, ` ${node}`);
  printError(ctx, target, line, `error: ${err}`);
}

/** The pods of the list still stored (GetPodsForDeletion run again after an error). */
function stillPresent(ctx: ClusterContext, pods: readonly Pod[]): Pod[] {
  return pods.filter((p) => ctx.api.get('Pod', p.metadata.namespace, p.metadata.name)?.metadata.uid === p.metadata.uid);
}

type EvictionState = 'evicting' | 'retrying' | 'waiting' | 'done';

export function evictPods(d: DrainRun, pods: readonly Pod[]): void {
  const { ctx, target, line } = d;
  const deadline = d.timeout > 0 ? ctx.sim.now + d.timeout : Infinity;
  const globalTimeout = goDuration(d.timeout);
  const state = new Map<string, EvictionState>();
  const errors: string[] = [];
  let remaining = pods.length;
  let timer: number | undefined;
  let stopWatch = () => {};
  const finish = (uid: string, error?: string) => {
    if (state.get(uid) === 'done') return;
    state.set(uid, 'done');
    if (error !== undefined) errors.push(error);
    if (--remaining > 0) return;
    stopWatch();
    if (timer !== undefined) ctx.sim.cancel(timer);
    report(d, errors, errors.length ? stillPresent(ctx, pods) : []);
  };
  if (remaining === 0) return report(d, errors, []);

  const tryEvict = (pod: Pod) => {
    const uid = pod.metadata.uid!;
    const { name, namespace } = pod.metadata;
    print(ctx, target, line, `evicting pod ${namespace}/${name}`);
    if (ctx.sim.now >= deadline) return finish(uid, `error when evicting pods/"${name}" -n "${namespace}": global timeout reached: ${globalTimeout}`);
    if (!ctx.api.available) return finish(uid, `error when evicting pods/"${name}" -n "${namespace}": ${CONNECTION_REFUSED}`);
    state.set(uid, 'evicting');
    evictPod(ctx, namespace!, name, d.gracePeriod, (r) => {
      if (state.get(uid) !== 'evicting') return; // gone already, or timed out
      if (r.code === 201) state.set(uid, 'waiting');
      else if (r.code === 404) finish(uid);
      else if (r.code === 429) {
        printError(ctx, target, line, `error when evicting pods/"${name}" -n "${namespace}" (will retry after ${EVICTION_RETRY_INTERVAL}s): ${r.message}`);
        state.set(uid, 'retrying');
        ctx.sim.after(EVICTION_RETRY_INTERVAL, () => tryEvict(pod));
      } else finish(uid, `error when evicting pods/"${name}" -n "${namespace}": ${r.message}`);
    });
  };

  stopWatch = ctx.api.watch('Pod', (type, pod) => {
    const s = state.get(pod.metadata.uid!);
    // A pod between retries is noticed by its next attempt (a 404 ends it quietly, as upstream).
    if (type !== 'DELETED' || s === undefined || s === 'done' || s === 'retrying') return;
    print(ctx, target, line, `pod/${pod.metadata.name} evicted`);
    finish(pod.metadata.uid!);
  });
  for (const pod of pods) tryEvict(pod);
  if (deadline < Infinity) {
    timer = ctx.sim.schedule(deadline, () => {
      timer = undefined;
      for (const pod of pods) {
        const s = state.get(pod.metadata.uid!);
        if (s === 'evicting' || s === 'waiting') {
          finish(pod.metadata.uid!, `error when waiting for pod "${pod.metadata.name}" in namespace "${pod.metadata.namespace}" to terminate: global timeout reached: ${globalTimeout}`);
        }
      }
    });
  }
}

/** --disable-eviction: delete every pod, then wait for all of them (wait.PollImmediate's timeout error on --timeout). */
export function deletePods(d: DrainRun, pods: readonly Pod[]): void {
  const { ctx, target, line } = d;
  const waiting = new Set(pods.map((p) => p.metadata.uid!));
  for (const pod of pods) deletePod(ctx, pod, d.gracePeriod);
  if (waiting.size === 0) return report(d, [], []);
  let timer: number | undefined;
  const stop = ctx.api.watch('Pod', (type, pod) => {
    if (type !== 'DELETED' || !waiting.delete(pod.metadata.uid!)) return;
    print(ctx, target, line, `pod/${pod.metadata.name} deleted`);
    if (waiting.size > 0) return;
    stop();
    if (timer !== undefined) ctx.sim.cancel(timer);
    report(d, [], []);
  });
  if (d.timeout > 0) {
    timer = ctx.sim.after(d.timeout, () => {
      stop();
      report(d, ['timed out waiting for the condition'], stillPresent(ctx, pods));
    });
  }
}
