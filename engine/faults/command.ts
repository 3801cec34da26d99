/**
 * Fault actions in the timeline, written as `kubesim VERB TARGET [NODE]`:
 *   kubesim fail node NODE        the machine powers off: its containers and addresses vanish
 *   kubesim recover node NODE     it boots again; the kubelet restarts what is still bound to it
 *   kubesim stop kubelet NODE     the kubelet process stops; containers keep serving unmanaged
 *   kubesim start kubelet NODE
 *   kubesim stop kube-proxy NODE  the node's kube-proxy stops: its rules stay as they are, unsynced
 *   kubesim start kube-proxy NODE
 *   kubesim stop|start scheduler | controller-manager | apiserver
 *   kubesim crash pod NAME [-n NS] [-c CONTAINER]   the container exits with an error (exit 1)
 *   kubesim hang pod NAME [-n NS]                   the app stops answering; containers keep running
 * Parsed at load time, like kubectl commands, so a typo is a validation error.
 */
import { KubectlSyntaxError } from '../kubectl/syntax-error.js';
import { tokenize } from '../kubectl/tokenize.js';

export type ClusterComponent = 'scheduler' | 'controller-manager' | 'apiserver';

export type FaultCommand =
  | { verb: 'fail' | 'recover'; target: 'node'; node: string }
  | { verb: 'stop' | 'start'; target: 'kubelet' | 'kube-proxy'; node: string }
  | { verb: 'stop' | 'start'; target: ClusterComponent }
  | { verb: 'crash' | 'hang'; target: 'pod'; name: string; namespace: string; container?: string };

export const SUPPORTED_FAULTS =
  'a kubesim fault action (fail|recover node NODE, stop|start kubelet|kube-proxy NODE, stop|start scheduler|controller-manager|apiserver, crash pod NAME [-n NS] [-c CONTAINER], hang pod NAME [-n NS])';

const COMPONENTS: readonly string[] = ['scheduler', 'controller-manager', 'apiserver'];

/** `crash|hang pod NAME [-n NS] [-c CONTAINER]` (flags as kubectl spells them). */
function parsePodFault(verb: 'crash' | 'hang', tokens: string[]): FaultCommand {
  let namespace = 'default';
  let container: string | undefined;
  const names: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const m = /^(-n|--namespace|-c|--container)(?:=(.*))?$/.exec(t);
    if (!m) {
      if (t.startsWith('-')) throw new KubectlSyntaxError(`a flag of kubesim ${verb} pod (-n NAMESPACE${verb === 'crash' ? ', -c CONTAINER' : ''})`, `flag ${t}`);
      names.push(t);
      continue;
    }
    const value = m[2] ?? tokens[++i];
    if (value === undefined || value === '') throw new KubectlSyntaxError(`a value after ${m[1]}`, 'nothing');
    if (m[1] === '-n' || m[1] === '--namespace') namespace = value;
    else if (verb === 'crash') container = value;
    else throw new KubectlSyntaxError('a flag of kubesim hang pod (-n NAMESPACE)', `flag ${m[1]}`);
  }
  if (names.length === 0) throw new KubectlSyntaxError(`the name of the pod to ${verb}`, 'nothing');
  if (names.length > 1) throw new KubectlSyntaxError('one pod name', `extra argument "${names[1]}"`);
  return { verb, target: 'pod', name: names[0]!, namespace, ...(container !== undefined && { container }) };
}

export function parseFault(line: string): FaultCommand {
  const tokens = tokenize(line);
  if (tokens[0] === 'kubesim' && (tokens[1] === 'crash' || tokens[1] === 'hang') && tokens[2] === 'pod') return parsePodFault(tokens[1], tokens.slice(3));
  const [first, verb, target, node, ...rest] = tokens;
  if (first !== 'kubesim') throw new KubectlSyntaxError('a command starting with kubesim', `"${first ?? ''}"`);
  if (rest.length > 0) throw new KubectlSyntaxError(SUPPORTED_FAULTS, `extra argument "${rest[0]}"`);
  const needNode = (what: string): string => {
    if (node === undefined) throw new KubectlSyntaxError(`the node to ${what}`, 'nothing');
    return node;
  };
  if ((verb === 'fail' || verb === 'recover') && target === 'node') return { verb, target, node: needNode(`${verb}`) };
  if ((verb === 'stop' || verb === 'start') && (target === 'kubelet' || target === 'kube-proxy')) {
    return { verb, target, node: needNode(`${verb} the ${target} of`) };
  }
  if ((verb === 'stop' || verb === 'start') && target !== undefined && COMPONENTS.includes(target)) {
    if (node !== undefined) throw new KubectlSyntaxError(`no node after ${target} (it runs cluster-wide)`, `"${node}"`);
    return { verb, target: target as ClusterComponent };
  }
  throw new KubectlSyntaxError(SUPPORTED_FAULTS, `"kubesim ${[verb, target].filter(Boolean).join(' ')}"`);
}

/** The node a fault names, for the loader to check against the cluster. */
export function faultReferences(command: FaultCommand): { kind: 'Node'; namespace: string; name: string }[] {
  // Pod names are mostly generated at run time: a missing pod is reported when the action runs.
  return 'node' in command ? [{ kind: 'Node', namespace: '', name: command.node }] : [];
}
