/** Service spec (core/v1), with the apiserver's defaults (type ClusterIP, targetPort = port). */
import { DEFAULTS } from '../defaults.js';
import { errors } from '../errors.js';
import { dnsLabel, labels } from '../formats.js';
import { arr, at, enumOf, int, obj, oneOf, refine, str } from '../schema.js';
import { checkClusterIPFields } from './service-cluster-ip.js';

const keep = 'keep' as const;
const [NODE_PORT_MIN, NODE_PORT_MAX] = DEFAULTS.service.nodePortRange;

const servicePort = refine(
  obj(
    {
      name: dnsLabel(),
      protocol: enumOf(['TCP', 'UDP', 'SCTP']),
      port: int({ min: 1, max: 65535 }),
      targetPort: oneOf<number | string>('a port number 1..65535 or a port name', [
        { when: (v) => typeof v === 'number', schema: int({ min: 1, max: 65535 }) },
        { when: (v) => typeof v === 'string', schema: str({ minLength: 1, maxLength: 15, patternName: 'a port name' }) },
      ]),
      nodePort: int({ min: NODE_PORT_MIN, max: NODE_PORT_MAX }),
    },
    { required: ['port'], additional: keep },
  ),
  // core/v1 defaults: SetDefaults_Service copies port into an unset targetPort.
  (p) => ({ ...p, targetPort: p.targetPort ?? p.port }),
);

export const serviceSpec = refine(
  obj(
    {
      type: enumOf(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']).default('ClusterIP'),
      selector: labels(),
      ports: arr(servicePort, { minItems: 1 }),
      healthCheckNodePort: int({ min: NODE_PORT_MIN, max: NODE_PORT_MAX }),
      clusterIP: str(),
      clusterIPs: arr(str()),
      ipFamilies: arr(enumOf(['IPv4', 'IPv6'])),
      ipFamilyPolicy: enumOf(['SingleStack', 'PreferDualStack', 'RequireDualStack']),
    },
    { required: ['ports'], additional: keep },
  ),
  (spec, ctx) => {
    checkClusterIPFields(spec, ctx);
    // core/v1 validation (validateServiceExternalTrafficPolicy): only a LoadBalancer Service with externalTrafficPolicy Local has one.
    if (spec.healthCheckNodePort !== undefined && (spec.type !== 'LoadBalancer' || (spec as { externalTrafficPolicy?: unknown }).externalTrafficPolicy !== 'Local')) {
      throw errors.invalidValue(ctx.file, at(ctx, 'healthCheckNodePort').path, 'healthCheckNodePort only on a LoadBalancer Service with externalTrafficPolicy Local', String(spec.healthCheckNodePort));
    }
    if (spec.type === 'ClusterIP' || spec.type === 'ExternalName') {
      const i = spec.ports.findIndex((p) => p.nodePort !== undefined);
      if (i >= 0) {
        throw errors.invalidValue(ctx.file, at(at(at(ctx, 'ports'), i), 'nodePort').path, `no nodePort on a ${spec.type} Service (use type NodePort)`, String(spec.ports[i]!.nodePort));
      }
    }
    return spec;
  },
);
