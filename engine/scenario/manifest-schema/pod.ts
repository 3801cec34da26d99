/** Container, PodSpec and PodTemplateSpec (core/v1): what the scheduler and the kubelet read. */
import { dnsLabel, labels } from '../formats.js';
import { any, arr, int, map, obj, quantity, str } from '../schema.js';
import { annotations } from './annotations.js';

const keep = 'keep' as const;

const resourceList = () => map(quantity('text'));

const container = obj(
  {
    name: dnsLabel(),
    image: str({ minLength: 1, patternName: 'an image reference' }),
    ports: arr(obj({ containerPort: int({ min: 1, max: 65535 }) }, { required: ['containerPort'], additional: keep })),
    resources: obj({ requests: resourceList(), limits: resourceList() }, { additional: keep }),
  },
  { required: ['name', 'image'], additional: keep },
);

export const podSpec = obj(
  {
    containers: arr(container, { minItems: 1 }),
    nodeName: str(),
    nodeSelector: labels(),
    tolerations: arr(any()),
    terminationGracePeriodSeconds: int({ min: 0 }),
  },
  { required: ['containers'], additional: keep },
);

/** The pod template of a workload: labels are required (the workload's selector must select them). */
export const podTemplate = obj(
  { metadata: obj({ labels: labels(), annotations: annotations() }, { required: ['labels'], additional: keep }), spec: podSpec },
  { required: ['metadata', 'spec'], additional: keep },
);
