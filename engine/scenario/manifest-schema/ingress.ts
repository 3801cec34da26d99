/** Ingress and IngressClass specs (networking.k8s.io/v1). */
import { errors } from '../errors.js';
import { dnsLabel, dnsSubdomain } from '../formats.js';
import { arr, enumOf, int, obj, refine, str } from '../schema.js';

const keep = 'keep' as const;

// networking/v1 validation (pkg/apis/networking/validation): a path starts with '/', pathType is required, a backend names a Service and its port by number or name.
export const ingressSpec = obj(
  {
    ingressClassName: dnsSubdomain(),
    rules: arr(
      obj(
        {
          host: str({ pattern: /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, patternName: 'a DNS name, optionally *.-prefixed (foo.example.com, *.example.com)' }),
          http: obj(
            {
              paths: arr(
                obj(
                  {
                    path: str({ pattern: /^\//, patternName: "an absolute path starting with '/'" }).default('/'),
                    pathType: enumOf(['Exact', 'Prefix', 'ImplementationSpecific']),
                    backend: obj(
                      {
                        service: obj(
                          {
                            name: dnsLabel(),
                            // validateIngressServiceBackend: exactly one of port.name and port.number.
                            port: refine(obj({ number: int({ min: 1, max: 65535 }), name: dnsLabel() }, { additional: keep }), (port, ctx) => {
                              if ((port.number === undefined) === (port.name === undefined)) {
                                throw errors.invalidValue(ctx.file, ctx.path, 'exactly one of port.number and port.name', port.number === undefined ? 'neither' : 'both');
                              }
                              return port;
                            }),
                          },
                          { required: ['name', 'port'], additional: keep },
                        ),
                      },
                      { required: ['service'], additional: keep },
                    ),
                  },
                  { required: ['pathType', 'backend'], additional: keep },
                ),
                { minItems: 1 },
              ),
            },
            { required: ['paths'], additional: keep },
          ),
        },
        { additional: keep },
      ),
    ),
  },
  { additional: keep },
);

export const ingressClassSpec = obj({ controller: str({ minLength: 1 }) }, { additional: keep });
