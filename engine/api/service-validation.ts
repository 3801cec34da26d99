/**
 * The API server's validation of the Service fields that depend on its type, the ones an
 * update may leave behind (pkg/apis/core/validation/validation.go ValidateService,
 * ValidateServiceUpdate, validateServiceExternalTrafficPolicy,
 * validateServiceExternalTrafficFieldsUpdate, validateLoadBalancerClassField), with upstream's
 * messages. It runs after the registry has prepared the object (dropTypeDependentFields): a
 * field is refused here only when the user set it in the same update as a type that has no use
 * for it, as `kubectl patch svc web -p '{"spec":{"type":"ClusterIP","ports":[{"port":80,"nodePort":30500}]}}'`
 * on a NodePort Service ("may not be used when `type` is 'ClusterIP'").
 *
 * Each error is a field.Error as apimachinery prints it (`spec.healthCheckNodePort: Invalid
 * value: 30001: may only be set ...`, `spec.ports[0].nodePort: Forbidden: ...`), in the order
 * ValidateServiceUpdate appends them. The other rules of ValidateService are the scenario
 * schema's (engine/scenario/manifest-schema/service.ts), checked by kubectl before it writes.
 */
import { externallyAccessible } from './service-defaults.js';
import type { ServiceRefusal } from './service-alloc.js';
import { needsHealthCheckNodePort } from './service-node-ports.js';
import type { Service } from './types.js';

const forbidden = (field: string, detail: string) => `${field}: Forbidden: ${detail}`;
const invalid = (field: string, value: string | number, detail: string) => `${field}: Invalid value: ${typeof value === 'string' ? JSON.stringify(value) : value}: ${detail}`;

function loadBalancerClass(svc: Service): string | undefined {
  return svc.spec.loadBalancerClass as string | undefined;
}

/** The field errors of `svc`, written over `before` (undefined for a create). */
export function serviceTypeFieldErrors(svc: Service, before?: Service): string[] {
  const spec = svc.spec;
  const errs: string[] = [];
  const isLoadBalancer = spec.type === 'LoadBalancer';
  // ValidateServiceUpdate, before ValidateService: validateLoadBalancerClassField(old, new) and validateServiceExternalTrafficFieldsUpdate.
  if (before) {
    const cls = loadBalancerClass(svc);
    if (before.spec.type === 'LoadBalancer' && isLoadBalancer && loadBalancerClass(before) !== cls) {
      errs.push(cls === undefined ? 'spec.loadBalancerClass: Invalid value: "null": may not change once set' : invalid('spec.loadBalancerClass', cls, 'may not change once set'));
    }
    if (!isLoadBalancer && cls !== undefined) errs.push(forbidden('spec.loadBalancerClass', "may only be used when `type` is 'LoadBalancer'"));
    if (needsHealthCheckNodePort(before) && needsHealthCheckNodePort(svc) && spec.healthCheckNodePort !== before.spec.healthCheckNodePort) {
      errs.push(forbidden('spec.healthCheckNodePort', 'field is immutable'));
    }
  }
  // ValidateService.
  if (spec.type === 'ClusterIP') {
    spec.ports.forEach((port, i) => {
      if (port.nodePort) errs.push(forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  }
  if (spec.allocateLoadBalancerNodePorts !== undefined && !isLoadBalancer) {
    errs.push(forbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"));
  }
  if (!before && !isLoadBalancer && loadBalancerClass(svc) !== undefined) errs.push(forbidden('spec.loadBalancerClass', "may only be used when `type` is 'LoadBalancer'"));
  // validateServiceExternalTrafficPolicy.
  if (!externallyAccessible(svc) && spec.externalTrafficPolicy) {
    errs.push(invalid('spec.externalTrafficPolicy', spec.externalTrafficPolicy, 'may only be set for externally-accessible services'));
  }
  if (!needsHealthCheckNodePort(svc) && spec.healthCheckNodePort) {
    errs.push(invalid('spec.healthCheckNodePort', spec.healthCheckNodePort, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  }
  return errs;
}

/** The Invalid refusal of the API server for these errors, or undefined when there are none. */
export function validateServiceTypeFields(svc: Service, before?: Service): ServiceRefusal | undefined {
  const causes = serviceTypeFieldErrors(svc, before);
  if (causes.length === 0) return undefined;
  // errors.NewInvalid: one cause as it is, several as utilerrors' aggregate.
  const detail = causes.length === 1 ? causes[0]! : `[${causes.join(', ')}]`;
  return { reason: 'Invalid', message: `Service "${svc.metadata.name}" is invalid: ${detail}`, causes };
}
