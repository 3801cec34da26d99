/**
 * kubectl, as timeline actions use it. `parseKubectl` turns a command line into a typed command
 * at load time (an unsupported verb, resource or flag is a validation error there);
 * `runKubectl` performs it against the API server during the run; `referencesOf` names the
 * objects a command needs, for the loader to check against the manifests.
 *
 * Supported verbs, one file each: scale, delete, set image, rollout status|history|undo,
 * annotate, cordon, uncordon, drain. Every verb takes `-n NS` / `--namespace NS` (default `default`), also before the
 * verb (`kubectl -n prod scale ...`).
 */
import type { ClusterContext } from '../api/context.js';
import { DEFAULT_NAMESPACE } from '../api/types.js';
import { annotate, type AnnotateCommand } from './annotate.js';
import { splitArgs } from './args.js';
import { cordon, uncordon, type CordonCommand } from './cordon.js';
import { drain, type DrainCommand } from './drain.js';
import { del, type DeleteCommand } from './delete.js';
import type { Target } from './output.js';
import { rollout, type RolloutCommand } from './rollout.js';
import { scale, type ScaleCommand } from './scale.js';
import { set, type SetImageCommand } from './set-image.js';
import { KubectlSyntaxError } from './syntax-error.js';
import { tokenize } from './tokenize.js';
import type { Verb } from './verb.js';

export { KubectlSyntaxError } from './syntax-error.js';
export { tokenize } from './tokenize.js';
export type { ScaleCommand, DeleteCommand, SetImageCommand, RolloutCommand, AnnotateCommand, CordonCommand, DrainCommand };

export type KubectlCommand = ScaleCommand | DeleteCommand | SetImageCommand | RolloutCommand | AnnotateCommand | CordonCommand | DrainCommand;

const VERBS: Readonly<Record<KubectlCommand['verb'], Verb<any>>> = { scale, delete: del, set, rollout, annotate, cordon, uncordon, drain };

export const SUPPORTED_KUBECTL =
  'a supported kubectl command (scale, delete pod, set image, rollout status|history|undo, annotate, cordon, uncordon, drain)';

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
