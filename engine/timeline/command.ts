/**
 * A timeline action: a kubectl command, or a kubesim fault action. Parsed at load time.
 */
import { parseFault, type FaultCommand } from '../faults/command.js';
import { parseKubectl, type KubectlCommand } from '../kubectl/index.js';
import { KubectlSyntaxError } from '../kubectl/syntax-error.js';
import { tokenize } from '../kubectl/tokenize.js';

export type TimelineCommand = { tool: 'kubectl'; command: KubectlCommand } | { tool: 'kubesim'; command: FaultCommand };

export function parseTimelineCommand(line: string): TimelineCommand {
  const first = tokenize(line)[0];
  if (first === 'kubectl') return { tool: 'kubectl', command: parseKubectl(line) };
  if (first === 'kubesim') return { tool: 'kubesim', command: parseFault(line) };
  throw new KubectlSyntaxError('a command starting with kubectl or kubesim', first === undefined ? 'an empty command' : `"${first}"`);
}
