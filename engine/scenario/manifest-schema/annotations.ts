/**
 * Annotations, with the ones kubesim reads checked: serving.kubesim.dev/workers (an integer >= 1),
 * serving.kubesim.dev/queue-capacity (an integer >= 0), and the CPU quantities
 * serving.kubesim.dev/cpu-per-request and serving.kubesim.dev/cpu-idle (>= 0), see
 * engine/workload/pod-servers.ts; serving.kubesim.dev/mean-time-to-crash (a positive duration,
 * engine/node/container-lifecycle.ts).
 */
import { isQuantity, parseCpuMilli } from '../../api/quantity.js';
import { parseDuration } from '../../core/duration.js';
import { DEFAULTS } from '../defaults.js';
import { errors } from '../errors.js';
import { at, map, refine, str } from '../schema.js';

const SERVING_ANNOTATION_MIN: Readonly<Record<string, number>> = {
  [DEFAULTS.serving.workersAnnotation]: 1,
  [DEFAULTS.serving.queueCapacityAnnotation]: 0,
};
const SERVING_CPU_ANNOTATIONS = [DEFAULTS.serving.cpuPerRequestAnnotation, DEFAULTS.serving.cpuIdleAnnotation];
export const annotations = () =>
  refine(map(str()), (values, ctx) => {
    for (const [key, min] of Object.entries(SERVING_ANNOTATION_MIN)) {
      const text = values[key];
      if (text === undefined) continue;
      const n = Number(text);
      if (!/^\d+$/.test(text) || n < min || n > 1e6) {
        throw errors.invalidValue(ctx.file, at(ctx, key).path, `an integer from ${min} to 1000000, as a string`, JSON.stringify(text));
      }
    }
    const mttc = values[DEFAULTS.kubelet.meanTimeToCrashAnnotation];
    if (mttc !== undefined) {
      let seconds = NaN;
      try {
        seconds = parseDuration(mttc);
      } catch {
        // reported below
      }
      if (!(seconds > 0)) {
        throw errors.invalidValue(ctx.file, at(ctx, DEFAULTS.kubelet.meanTimeToCrashAnnotation).path, 'a positive duration such as "10m" or "90s", as a string', JSON.stringify(mttc));
      }
    }
    for (const key of SERVING_CPU_ANNOTATIONS) {
      const text = values[key];
      if (text === undefined) continue;
      if (!isQuantity(text) || text.trim().startsWith('-') || parseCpuMilli(text) > 1e6) {
        throw errors.invalidValue(ctx.file, at(ctx, key).path, 'a CPU quantity from 0 to 1000, as a string such as "1", "250m" or "0.5"', JSON.stringify(text));
      }
    }
    return values;
  });
