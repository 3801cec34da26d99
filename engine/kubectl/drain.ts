/**
 * `kubectl drain NODE --ignore-daemonsets [--delete-emptydir-data] [--force] [--grace-period=N]
 * [--timeout=D] [--disable-eviction]`, as kubectl/pkg/cmd/drain and kubectl/pkg/drain do it:
 * cordon the node, then check every pod on it and refuse, naming them, if any is managed by a
 * DaemonSet (without --ignore-daemonsets), has no controller (without --force) or uses emptyDir
 * (without --delete-emptydir-data); else evict the others through the Eviction API, which
 * honours PodDisruptionBudgets (a refused eviction is retried every 5 s), or delete them with
 * --disable-eviction; wait until they are gone, and print `node/NODE drained`
 * (engine/kubectl/drain-helper.ts). DaemonSet pods stay, as their controller would put them
 * back anyway. A timeout (0, the default, waits forever) ends the drain with kubectl's errors.
 */
import { controllerOf } from '../api/owners.js';
import type { Pod } from '../api/types.js';
import { parseDuration } from '../core/duration.js';
import { nonNegativeInt, requireName } from './args.js';
import { setUnschedulable } from './cordon.js';
import { deletePods, evictPods, type DrainRun } from './drain-helper.js';
import { print, printError, type Target } from './output.js';
import { KubectlSyntaxError } from './syntax-error.js';
import type { Verb } from './verb.js';

export interface DrainCommand {
  verb: 'drain';
  node: string;
  ignoreDaemonsets: boolean;
  deleteEmptydirData: boolean;
  force: boolean;
  /** Seconds; undefined means each pod's own terminationGracePeriodSeconds. */
  gracePeriod?: number;
  /** Seconds to wait for the evictions; 0 waits forever. */
  timeout: number;
  /** Delete instead of evicting: PodDisruptionBudgets are bypassed. */
  disableEviction: boolean;
}

function flagTrue(value: string | undefined, flag: string): boolean {
  if (value === undefined) return false;
  if (value !== 'true' && value !== 'false') throw new KubectlSyntaxError(`--${flag} or --${flag}=true|false`, `"${value}"`);
  return value === 'true';
}

/** Why drain refuses a pod, in kubectl's words, or undefined when the pod may be evicted or is skipped. */
type Verdict = 'evict' | 'skip' | { refuse: string };

function verdict(pod: Pod, c: DrainCommand): Verdict {
  const owner = controllerOf(pod.metadata);
  if (owner?.kind === 'DaemonSet') {
    return c.ignoreDaemonsets ? 'skip' : { refuse: 'cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore)' };
  }
  if (!owner && !c.force) return { refuse: 'cannot delete Pods declare no controller (use --force to override)' };
  const volumes = (pod.spec.volumes as { emptyDir?: unknown }[] | undefined) ?? [];
  if (volumes.some((v) => v.emptyDir !== undefined) && !c.deleteEmptydirData) {
    return { refuse: 'cannot delete Pods with local storage (use --delete-emptydir-data to override)' };
  }
  return 'evict';
}

export const drain: Verb<DrainCommand> = {
  verb: 'drain',
  flags: ['ignore-daemonsets', 'delete-emptydir-data', 'force', 'grace-period', 'timeout', 'disable-eviction'],
  parse({ positional, flags }) {
    if (positional.length > 1) throw new KubectlSyntaxError('one node name', `extra argument "${positional[1]}"`);
    let timeout = 0;
    const t = flags.get('timeout');
    if (t !== undefined) {
      try {
        timeout = parseDuration(t);
      } catch {
        throw new KubectlSyntaxError('--timeout with a duration such as 90s or 5m', `"${t}"`);
      }
    }
    const grace = flags.get('grace-period');
    return {
      verb: 'drain',
      node: requireName(positional[0], 'the node to drain'),
      ignoreDaemonsets: flagTrue(flags.get('ignore-daemonsets'), 'ignore-daemonsets'),
      deleteEmptydirData: flagTrue(flags.get('delete-emptydir-data'), 'delete-emptydir-data'),
      force: flagTrue(flags.get('force'), 'force'),
      gracePeriod: grace === undefined || grace === '-1' ? undefined : nonNegativeInt(grace, '--grace-period'),
      timeout,
      disableEviction: flagTrue(flags.get('disable-eviction'), 'disable-eviction'),
    };
  },
  references: (c) => [{ kind: 'Node', namespace: '', name: c.node }],
  run(ctx, c, line) {
    if (!setUnschedulable(ctx, c.node, true, line)) return;
    const target: Target = { kind: 'Node', namespace: '', name: c.node };
    const pods = ctx.api.list('Pod').filter((p) => p.spec.nodeName === c.node && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
    const refused = new Map<string, string[]>();
    const skipped: string[] = [];
    const evict: Pod[] = [];
    for (const pod of pods) {
      const v = verdict(pod, c);
      const name = `${pod.metadata.namespace}/${pod.metadata.name}`;
      if (v === 'evict') evict.push(pod);
      else if (v === 'skip') skipped.push(name);
      else refused.set(v.refuse, [...(refused.get(v.refuse) ?? []), name]);
    }
    if (refused.size > 0) {
      const why = [...refused].map(([reason, names]) => `${reason}: ${names.join(', ')}`).join(', ');
      return printError(ctx, target, line, `error: unable to drain node "${c.node}" due to error: ${why}, continuing command...`);
    }
    if (skipped.length > 0) print(ctx, target, line, `Warning: ignoring DaemonSet-managed Pods: ${skipped.join(', ')}`);
    const run: DrainRun = { ctx, node: c.node, gracePeriod: c.gracePeriod, timeout: c.timeout, target, line };
    if (c.disableEviction) deletePods(run, evict);
    else evictPods(run, evict);
  },
};
