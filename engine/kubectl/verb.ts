/**
 * The shape every kubectl verb has here: the flags it takes, how its arguments become a typed
 * command (at load time: an unsupported form is a validation error), the objects the command
 * names (checked against the scenario's manifests), and what it does against the API server.
 */
import type { ClusterContext } from '../api/context.js';
import type { KubeObject } from '../api/types.js';
import type { Args } from './args.js';
import type { Target } from './output.js';

export interface Verb<C extends { verb: string }> {
  verb: C['verb'];
  /** Long names of the flags accepted (besides --namespace, which every verb takes). */
  flags: readonly string[];
  parse(args: Args, namespace: string): C;
  /** Objects that must exist in the scenario's manifests for the command to make sense. */
  references(command: C): Target[];
  /**
   * Objects the command creates (as far as known at load time), so that later commands and
   * loads may name them: the loader adds them to what exists after this command.
   */
  creates?(command: C): KubeObject[];
  /**
   * Load-time check against the objects known when the command runs (manifests and earlier
   * creations): a problem as { expected, found }, or undefined.
   */
  check?(command: C, known: readonly KubeObject[]): { expected: string; found: string } | undefined;
  run(ctx: ClusterContext, command: C, line: string): void;
}
