/**
 * `kubectl rollout status|history|undo deployment/NAME`, as kubectl does them
 * (kubectl/pkg/cmd/rollout, pkg/polymorphichelpers rollout_status.go, history.go, rollback.go):
 *  - status prints the rollout's progress and, unless --watch=false, keeps printing each new
 *    message until the rollout is done or --timeout passes (0, the default, waits forever);
 *  - history lists the revisions with their change-cause;
 *  - undo copies the pod template of the previous revision (or --to-revision=N) back into the
 *    Deployment, which starts a rollout to it;
 *  - restart sets the pod template annotation `kubectl.kubernetes.io/restartedAt` to the current
 *    time (RFC 3339; simulated time counts from 1970-01-01T00:00:00Z), so every pod is replaced
 *    by a rollout (kubectl/pkg/polymorphichelpers/objectrestarter.go).
 */
import type { ClusterContext } from '../api/context.js';
import { controllerOf } from '../api/owners.js';
import type { Deployment, ReplicaSet } from '../api/types.js';
import { parseDuration } from '../core/duration.js';
import {
  CHANGE_CAUSE_ANNOTATION,
  equalIgnoreHash,
  REVISION_ANNOTATION,
  revisionOf,
  rolloutStatus,
  templateWithoutHash,
} from '../controllers/deployment-util.js';
import { nonNegativeInt, noMoreArguments, requireName, resourceAndName, resourceOf, type Args } from './args.js';
import { notFound, print, printError, type Target } from './output.js';
import { KubectlSyntaxError } from './syntax-error.js';
import type { Verb } from './verb.js';

const ACTIONS = ['status', 'history', 'undo', 'restart'] as const;
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

/** RFC 3339 (Go's time.RFC3339, seconds) of a simulated instant. */
export function rfc3339(seconds: number): string {
  return new Date(Math.floor(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
type Action = (typeof ACTIONS)[number];

/** Flags per action; anything else is refused at load time. */
const ACTION_FLAGS: Readonly<Record<Action, readonly string[]>> = {
  status: ['watch', 'timeout'],
  history: [],
  undo: ['to-revision'],
  restart: [],
};

export interface RolloutCommand {
  verb: 'rollout';
  action: Action;
  resource: 'deployment';
  name: string;
  namespace: string;
  /** undo: the revision to go back to; 0 means the previous one. */
  toRevision: number;
  /** status: keep watching until done. */
  watch: boolean;
  /** status: seconds to wait, 0 for no limit. */
  timeout: number;
}

function parseRollout({ positional, flags }: Args, namespace: string): RolloutCommand {
  const [action, ...rest] = positional;
  if (!ACTIONS.includes(action as Action)) {
    throw new KubectlSyntaxError('kubectl rollout status, history, undo or restart', action === undefined ? 'nothing after rollout' : `"rollout ${action}"`);
  }
  const act = action as Action;
  for (const flag of flags.keys()) {
    if (!ACTION_FLAGS[act].includes(flag)) {
      const allowed = ACTION_FLAGS[act].map((f) => `--${f}`).join(', ') || 'none besides --namespace';
      throw new KubectlSyntaxError(`a flag of kubectl rollout ${act} (${allowed})`, `flag --${flag}`);
    }
  }
  const { resource: word, name, rest: more } = resourceAndName(rest, `rollout ${act}`);
  const resource = resourceOf(word, ['deployment'] as const, `rollout ${act}`);
  noMoreArguments(more);
  const watchText = flags.get('watch') ?? 'true';
  if (watchText !== 'true' && watchText !== 'false') throw new KubectlSyntaxError('--watch=true or --watch=false', `"${watchText}"`);
  let timeout = 0;
  const timeoutText = flags.get('timeout');
  if (timeoutText !== undefined) {
    try {
      timeout = parseDuration(timeoutText);
    } catch {
      throw new KubectlSyntaxError('--timeout with a duration such as 90s or 5m', `"${timeoutText}"`);
    }
  }
  const toRevisionText = flags.get('to-revision');
  return {
    verb: 'rollout',
    action: act,
    resource,
    name: requireName(name, 'the name of the deployment'),
    namespace,
    toRevision: toRevisionText === undefined ? 0 : nonNegativeInt(toRevisionText, '--to-revision'),
    watch: watchText === 'true',
    timeout,
  };
}

function history(ctx: ClusterContext, d: Deployment): ReplicaSet[] {
  return ctx.api
    .list('ReplicaSet', d.metadata.namespace)
    .filter((rs) => controllerOf(rs.metadata)?.uid === d.metadata.uid && revisionOf(rs) > 0)
    .sort((a, b) => revisionOf(a) - revisionOf(b));
}

function status(ctx: ClusterContext, c: RolloutCommand, target: Target, line: string): void {
  const first = rolloutStatus(ctx.api.get('Deployment', c.namespace, c.name)!);
  print(ctx, target, line, first.message);
  if (first.done || !c.watch) return;
  let last = first.message;
  let timer: number | undefined;
  const stop = ctx.api.watch('Deployment', (type, d) => {
    if (d.metadata.namespace !== c.namespace || d.metadata.name !== c.name) return;
    if (type === 'DELETED') {
      finish();
      return notFound(ctx, target, line);
    }
    const now = rolloutStatus(d);
    if (now.message !== last) print(ctx, target, line, now.message);
    last = now.message;
    if (now.done) finish();
  });
  const finish = () => {
    stop();
    if (timer !== undefined) ctx.sim.cancel(timer);
  };
  if (c.timeout > 0) {
    timer = ctx.sim.after(c.timeout, () => {
      timer = undefined;
      stop();
      printError(ctx, target, line, 'error: timed out waiting for the condition');
    });
  }
}

function undo(ctx: ClusterContext, c: RolloutCommand, d: Deployment, target: Target, line: string): void {
  const revisions = history(ctx, d);
  let rs: ReplicaSet | undefined;
  if (c.toRevision === 0) {
    // The previous revision: the highest one below the current maximum (rollback.go).
    const max = revisions.length ? revisionOf(revisions[revisions.length - 1]!) : 0;
    rs = revisions.filter((r) => revisionOf(r) < max).pop();
    if (!rs) return printError(ctx, target, line, `error: no rollout history found for deployment "${c.name}"`);
  } else {
    rs = revisions.find((r) => revisionOf(r) === c.toRevision);
    if (!rs) return printError(ctx, target, line, `error: unable to find specified revision ${c.toRevision} in history`);
  }
  if (equalIgnoreHash(rs.spec.template, d.spec.template)) {
    return print(ctx, target, line, `deployment.apps/${c.name} skipped rollback (current template already matches revision ${revisionOf(rs)})`);
  }
  const template = templateWithoutHash(rs.spec.template);
  const cause = rs.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION];
  ctx.api.update('Deployment', c.namespace, c.name, (obj) => {
    obj.spec.template = structuredClone(template);
    const annotations = { ...(obj.metadata.annotations ?? {}) };
    if (cause === undefined) delete annotations[CHANGE_CAUSE_ANNOTATION];
    else annotations[CHANGE_CAUSE_ANNOTATION] = cause;
    obj.metadata.annotations = annotations;
  });
  print(ctx, target, line, `deployment.apps/${c.name} rolled back`);
}

export const rollout: Verb<RolloutCommand> = {
  verb: 'rollout',
  flags: ['watch', 'timeout', 'to-revision'],
  parse: parseRollout,
  references: (c) => [{ kind: 'Deployment', namespace: c.namespace, name: c.name }],
  run(ctx, c, line) {
    const target = { kind: 'Deployment', namespace: c.namespace, name: c.name };
    const d = ctx.api.get('Deployment', c.namespace, c.name);
    if (!d) return notFound(ctx, target, line);
    switch (c.action) {
      case 'status':
        return status(ctx, c, target, line);
      case 'history': {
        const rows = history(ctx, d).map((rs) => `${rs.metadata.annotations?.[REVISION_ANNOTATION]} ${rs.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? '<none>'}`);
        return print(ctx, target, line, `deployment.apps/${c.name} REVISION CHANGE-CAUSE: ${rows.join('; ')}`);
      }
      case 'undo':
        return undo(ctx, c, d, target, line);
      case 'restart': {
        const at = rfc3339(ctx.sim.now);
        ctx.api.update('Deployment', c.namespace, c.name, (obj) => {
          const meta = (obj.spec.template.metadata ??= {});
          meta.annotations = { ...(meta.annotations ?? {}), [RESTARTED_AT_ANNOTATION]: at };
        });
        return print(ctx, target, line, `deployment.apps/${c.name} restarted`);
      }
    }
  },
};
