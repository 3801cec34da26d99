/** Rules shared by the apps/v1 workloads (Deployment, ReplicaSet, DaemonSet, StatefulSet). */
import { matchesSelector } from '../../api/labels.js';
import { errors } from '../errors.js';
import { at, int, oneOf, str, type Ctx } from '../schema.js';

/** An IntOrString of a rolling update: a count, or a percentage such as "25%" (apps validation ValidatePositiveIntOrPercent). */
export const intOrPercent = () =>
  oneOf<number | string>('a whole number >= 0 or a percentage such as "25%"', [
    { when: (v) => typeof v === 'number', schema: int({ min: 0 }) },
    { when: (v) => typeof v === 'string', schema: str({ pattern: /^\d+%$/, patternName: 'a percentage such as "25%"' }) },
  ]);

/**
 * apps/v1 validation of a rolling update (ValidateRollingUpdateDeployment, ValidateRollingUpdateDaemonSet):
 * maxUnavailable may be 0 only when maxSurge is not. `ctx` is the rollingUpdate's.
 */
export function requireSurgeOrUnavailable(ru: { maxSurge?: number | string; maxUnavailable?: number | string }, ctx: Ctx): void {
  const isZero = (v: number | string | undefined) => v === 0 || v === '0%';
  if (isZero(ru.maxSurge) && isZero(ru.maxUnavailable)) {
    throw errors.invalidValue(ctx.file, at(ctx, 'maxUnavailable').path, 'a value other than 0 when maxSurge is 0', String(ru.maxUnavailable));
  }
}

/** apps/v1 validation: spec.selector must select the template's labels (ValidatePodTemplateSpecForReplicaSet and kin). */
export function requireSelectedTemplate<S extends { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> } } }>(
  spec: S,
  ctx: Ctx,
): S {
  if (!matchesSelector(spec.selector, spec.template.metadata.labels)) {
    throw errors.invalidValue(
      ctx.file,
      at(at(at(ctx, 'template'), 'metadata'), 'labels').path,
      'labels selected by spec.selector (the apiserver refuses: selector does not match template labels)',
      formatLabels(spec.template.metadata.labels),
    );
  }
  return spec;
}

function formatLabels(l: Record<string, string>): string {
  const pairs = Object.entries(l).map(([k, v]) => `${k}=${v}`);
  return pairs.length ? `{${pairs.join(', ')}}` : 'no labels';
}
