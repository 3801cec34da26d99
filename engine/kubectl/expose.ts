/**
 * `kubectl expose deployment NAME [--port=P] [--target-port=T] [--type=ClusterIP|NodePort|LoadBalancer] [--name=SVC] [--protocol=TCP]`,
 * as kubectl/pkg/cmd/expose does it: a Service named after the Deployment (or --name) whose
 * selector is the Deployment's `spec.selector.matchLabels`; the port defaults to the first
 * containerPort of the pod template ("introspection"), targetPort to the port. A NodePort or
 * LoadBalancer Service gets the lowest free port of the node-port range (the apiserver picks a
 * random free one; kubesim the lowest, so runs stay reproducible from the scenario:
 * engine/api/service-node-ports.ts).
 */
import { kubectlRefusalText } from '../api/service-alloc.js';
import { allocateNodePorts } from '../api/service-node-ports.js';
import type { Service } from '../api/types.js';
import { noMoreArguments, objectName, portNumber, requireName, resourceAndName, resourceOf } from './args.js';
import { notFound, print, printError } from './output.js';
import { KubectlSyntaxError } from './syntax-error.js';
import type { Verb } from './verb.js';

export interface ExposeCommand {
  verb: 'expose';
  resource: 'deployment';
  name: string;
  namespace: string;
  serviceName: string;
  port?: number;
  targetPort?: number | string;
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  protocol: 'TCP' | 'UDP' | 'SCTP';
}

const TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer'] as const;
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;

export const expose: Verb<ExposeCommand> = {
  verb: 'expose',
  flags: ['port', 'target-port', 'type', 'name', 'protocol'],
  parse({ positional, flags }, namespace) {
    const { resource: word, name, rest } = resourceAndName(positional, 'expose');
    const resource = resourceOf(word, ['deployment'] as const, 'expose');
    noMoreArguments(rest);
    const n = requireName(name, 'the name of the deployment to expose');
    const type = flags.get('type') ?? 'ClusterIP';
    if (!TYPES.includes(type as (typeof TYPES)[number])) throw new KubectlSyntaxError('--type=ClusterIP, NodePort or LoadBalancer', `"${type}"`);
    const protocol = flags.get('protocol') ?? 'TCP';
    if (!PROTOCOLS.includes(protocol as (typeof PROTOCOLS)[number])) throw new KubectlSyntaxError('--protocol=TCP, UDP or SCTP', `"${protocol}"`);
    const targetText = flags.get('target-port');
    const targetPort = targetText === undefined ? undefined : /^\d+$/.test(targetText) ? portNumber(targetText, '--target-port') : objectName(targetText, 'a --target-port number or port name');
    return {
      verb: 'expose',
      resource,
      name: n,
      namespace,
      serviceName: objectName(flags.get('name') ?? n, 'a Service name'),
      ...(flags.has('port') && { port: portNumber(flags.get('port')!, '--port') }),
      ...(targetPort !== undefined && { targetPort }),
      type: type as ExposeCommand['type'],
      protocol: protocol as ExposeCommand['protocol'],
    };
  },
  references: (c) => [{ kind: 'Deployment', namespace: c.namespace, name: c.name }],
  // What the loader can know: the Service's name, type and (with --port) port; the selector comes at run time.
  creates: (c) => [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: c.serviceName, namespace: c.namespace },
      spec: { type: c.type, ports: c.port === undefined ? [] : [{ port: c.port, protocol: c.protocol }] },
    },
  ],
  run(ctx, c, line) {
    const target = { kind: 'Deployment', namespace: c.namespace, name: c.name };
    const d = ctx.api.get('Deployment', c.namespace, c.name);
    if (!d) return notFound(ctx, target, line);
    const selector = d.spec.selector.matchLabels;
    if (!selector || Object.keys(selector).length === 0) {
      return printError(ctx, target, line, `error: couldn't retrieve selectors via --selector flag or introspection: the deployment's selector has no matchLabels`);
    }
    const port = c.port ?? d.spec.template.spec.containers.flatMap((x) => x.ports ?? [])[0]?.containerPort;
    if (port === undefined) return printError(ctx, target, line, "error: couldn't find port via --port flag or introspection");
    if (ctx.api.get('Service', c.namespace, c.serviceName)) {
      return printError(ctx, target, line, `Error from server (AlreadyExists): services "${c.serviceName}" already exists`);
    }
    const svc: Service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: c.serviceName, namespace: c.namespace, labels: { ...(d.metadata.labels ?? {}) } },
      spec: { type: c.type, selector: { ...selector }, ports: [{ port, protocol: c.protocol, targetPort: c.targetPort ?? port }] },
    };
    if (!allocateNodePorts(ctx.api.list('Service'), ctx.defaults.service.nodePortRange, svc)) return printError(ctx, target, line, 'The Service is invalid: spec.ports[0].nodePort: Internal error: range is full');
    const refused = ctx.api.dryRunServiceCreate(svc);
    if (refused) return printError(ctx, target, line, kubectlRefusalText(refused));
    ctx.api.create(svc);
    print(ctx, { kind: 'Service', namespace: c.namespace, name: c.serviceName }, line, `service/${c.serviceName} exposed`);
  },
};
