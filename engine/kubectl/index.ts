/**
 * kubectl, as timeline actions use it. `parseKubectl` turns a command line into a typed command
 * at load time (an unsupported verb, resource or flag is a validation error there);
 * `runKubectl` performs it against the API server during the run; `referencesOf` names the
 * objects a command needs, for the loader to check against the manifests.
 *
 * Supported verbs, one file each: scale, delete, set image, rollout status|history|undo|restart,
 * annotate, label, taint, cordon, uncordon, drain, apply, create deployment, run, expose, patch, get. Every verb takes `-n NS` / `--namespace NS` (default `default`), also before the
 * verb (`kubectl -n prod scale ...`).
 */
import type { ClusterContext } from '../api/context.js';
import { DEFAULT_NAMESPACE } from '../api/types.js';
import type { KubeObject } from '../api/types.js';
import { annotate, type AnnotateCommand } from './annotate.js';
import { apply, type ApplyCommand } from './apply.js';
import { create, type CreateCommand } from './create.js';
import { expose, type ExposeCommand } from './expose.js';
import { get, type GetCommand } from './get.js';
import { label, type LabelCommand } from './label.js';
import { patch, type PatchCommand } from './patch.js';
import { runPod, type RunCommand } from './run-pod.js';
import { splitArgs } from './args.js';
import { cordon, uncordon, type CordonCommand } from './cordon.js';
import { drain, type DrainCommand } from './drain.js';
import { del, type DeleteCommand } from './delete.js';
import type { Target } from './output.js';
import { rollout, type RolloutCommand } from './rollout.js';
import { scale, type ScaleCommand } from './scale.js';
import { set, type SetImageCommand } from './set-image.js';
import { taint, type TaintCommand } from './taint.js';
import { KubectlSyntaxError } from './syntax-error.js';
import { tokenize } from './tokenize.js';
import type { Verb } from './verb.js';

export { KubectlSyntaxError } from './syntax-error.js';
export { tokenize } from './tokenize.js';
export type {
  ScaleCommand,
  DeleteCommand,
  SetImageCommand,
  RolloutCommand,
  AnnotateCommand,
  LabelCommand,
  TaintCommand,
  CordonCommand,
  DrainCommand,
  ApplyCommand,
  CreateCommand,
  RunCommand,
  ExposeCommand,
  PatchCommand,
  GetCommand,
};
export { renderGet } from './get.js';

export type KubectlCommand =
  | ScaleCommand
  | DeleteCommand
  | SetImageCommand
  | RolloutCommand
  | AnnotateCommand
  | LabelCommand
  | TaintCommand
  | CordonCommand
  | DrainCommand
  | ApplyCommand
  | CreateCommand
  | RunCommand
  | ExposeCommand
  | PatchCommand
  | GetCommand;

const VERBS: Readonly<Record<KubectlCommand['verb'], Verb<any>>> = {
  scale,
  delete: del,
  set,
  rollout,
  annotate,
  label,
  taint,
  cordon,
  uncordon,
  drain,
  apply,
  create,
  run: runPod,
  expose,
  patch,
  get,
};

export const SUPPORTED_KUBECTL =
  'a supported kubectl command (apply -f, create deployment, run, expose, patch, get, scale, delete, set image, rollout status|history|undo|restart, annotate, label, taint, cordon, uncordon, drain)';

/** Index of the verb: kubectl allows `-n NS` before it. */
function findVerb(tokens: string[]): number {
  let i = 1;
  while (i < tokens.length && tokens[i]!.startsWith('-')) {
    i += tokens[i] === '-n' || tokens[i] === '--namespace' ? 2 : 1;
  }
  return i;
}

export function parseKubectl(line: string): KubectlCommand {
  const tokens = tokenize(line);
  if (tokens[0] !== 'kubectl') {
    throw new KubectlSyntaxError('a command starting with kubectl', tokens[0] === undefined ? 'an empty command' : `"${tokens[0]}"`);
  }
  const verbAt = findVerb(tokens);
  const word = tokens[verbAt];
  if (word === undefined) throw new KubectlSyntaxError(SUPPORTED_KUBECTL, 'no verb');
  const verb = VERBS[word as KubectlCommand['verb']];
  if (!Object.prototype.hasOwnProperty.call(VERBS, word) || !verb) throw new KubectlSyntaxError(SUPPORTED_KUBECTL, `verb "${word}"`);
  const rest = tokens.slice(1);
  rest.splice(verbAt - 1, 1);
  const args = splitArgs(rest, word, ['namespace', ...verb.flags]);
  const namespace = args.flags.get('namespace') ?? DEFAULT_NAMESPACE;
  if (namespace === '') throw new KubectlSyntaxError('a namespace name', 'an empty namespace');
  args.flags.delete('namespace');
  return verb.parse(args, namespace) as KubectlCommand;
}

export function runKubectl(ctx: ClusterContext, command: KubectlCommand, line: string): void {
  if (!ctx.api.available) {
    // kubectl does not retry: with the API server down the command fails at once.
    ctx.event('Warning', 'KubectlError', { kind: 'Cluster', metadata: { name: 'apiserver' } }, `${line}: The connection to the server was refused - did you specify the right host or port?`);
    return;
  }
  VERBS[command.verb].run(ctx, command, line);
}

export function referencesOf(command: KubectlCommand): Target[] {
  return VERBS[command.verb].references(command);
}

/** A load-time problem of the command against the objects known then (see Verb.check). */
export function checkAgainst(command: KubectlCommand, known: readonly KubeObject[]): { expected: string; found: string } | undefined {
  return VERBS[command.verb].check?.(command, known);
}

/** Objects the command creates, as known at load time (see Verb.creates). */
export function createdBy(command: KubectlCommand): KubeObject[] {
  return VERBS[command.verb].creates?.(command) ?? [];
}
