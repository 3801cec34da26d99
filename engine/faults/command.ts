/**
 * Fault actions in the timeline, written as `kubesim VERB TARGET [NODE]`:
 *   kubesim fail node NODE        the machine powers off: its containers and addresses vanish
 *   kubesim recover node NODE     it boots again; the kubelet restarts what is still bound to it
 *   kubesim stop kubelet NODE     the kubelet process stops; containers keep serving unmanaged
 *   kubesim start kubelet NODE
 *   kubesim stop|start scheduler | controller-manager | apiserver
 * Parsed at load time, like kubectl commands, so a typo is a validation error.
 */
import { KubectlSyntaxError } from '../kubectl/syntax-error.js';
import { tokenize } from '../kubectl/tokenize.js';

export type ClusterComponent = 'scheduler' | 'controller-manager' | 'apiserver';

export type FaultCommand =
  | { verb: 'fail' | 'recover'; target: 'node'; node: string }
  | { verb: 'stop' | 'start'; target: 'kubelet'; node: string }
  | { verb: 'stop' | 'start'; target: ClusterComponent };

export const SUPPORTED_FAULTS =
  'a kubesim fault action (fail|recover node NODE, stop|start kubelet NODE, stop|start scheduler|controller-manager|apiserver)';

const COMPONENTS: readonly string[] = ['scheduler', 'controller-manager', 'apiserver'];

export function parseFault(line: string): FaultCommand {
  const [first, verb, target, node, ...rest] = tokenize(line);
  if (first !== 'kubesim') throw new KubectlSyntaxError('a command starting with kubesim', `"${first ?? ''}"`);
  if (rest.length > 0) throw new KubectlSyntaxError(SUPPORTED_FAULTS, `extra argument "${rest[0]}"`);
  const needNode = (what: string): string => {
    if (node === undefined) throw new KubectlSyntaxError(`the node to ${what}`, 'nothing');
    return node;
  };
  if ((verb === 'fail' || verb === 'recover') && target === 'node') return { verb, target, node: needNode(`${verb}`) };
  if ((verb === 'stop' || verb === 'start') && target === 'kubelet') return { verb, target, node: needNode(`${verb} the kubelet of`) };
  if ((verb === 'stop' || verb === 'start') && target !== undefined && COMPONENTS.includes(target)) {
    if (node !== undefined) throw new KubectlSyntaxError(`no node after ${target} (it runs cluster-wide)`, `"${node}"`);
    return { verb, target: target as ClusterComponent };
  }
  throw new KubectlSyntaxError(SUPPORTED_FAULTS, `"kubesim ${[verb, target].filter(Boolean).join(' ')}"`);
}

/** The node a fault names, for the loader to check against the cluster. */
export function faultReferences(command: FaultCommand): { kind: 'Node'; namespace: string; name: string }[] {
  return 'node' in command ? [{ kind: 'Node', namespace: '', name: command.node }] : [];
}
