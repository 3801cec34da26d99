/**
 * Pod resource requests in engine units, computed once per pod.
 *
 * A pod's request is the sum over its containers (init containers and overhead are not
 * modelled yet). The scheduler issue adds the non-zero defaults that scoring uses for
 * containers without requests; fitting uses the requests as written, as upstream does.
 */
import { parseBytes, parseCpuMilli } from './quantity.js';
import type { PodSpec } from './types.js';

export interface PodRequests {
  cpuMilli: number;
  memoryBytes: number;
}

export function podRequests(spec: PodSpec): PodRequests {
  let cpuMilli = 0;
  let memoryBytes = 0;
  for (const c of spec.containers) {
    const req = c.resources?.requests;
    if (req?.cpu !== undefined) cpuMilli += parseCpuMilli(req.cpu);
    if (req?.memory !== undefined) memoryBytes += parseBytes(req.memory);
  }
  return { cpuMilli, memoryBytes };
}
