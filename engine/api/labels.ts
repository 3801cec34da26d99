/**
 * Label selectors, as k8s.io/apimachinery/pkg/labels evaluates them: every matchLabels pair
 * and every matchExpressions requirement must hold. An empty selector matches everything
 * (metav1.LabelSelectorAsSelector), a missing one matches nothing.
 */
import type { LabelSelector, Labels } from './types.js';

export function matchesSelector(selector: LabelSelector | undefined, labels: Labels | undefined): boolean {
  if (!selector) return false;
  const have = labels ?? {};
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (have[key] !== value) return false;
  }
  for (const req of selector.matchExpressions ?? []) {
    const present = Object.prototype.hasOwnProperty.call(have, req.key);
    const value = have[req.key];
    switch (req.operator) {
      case 'In':
        if (!present || !(req.values ?? []).includes(value!)) return false;
        break;
      case 'NotIn':
        if (present && (req.values ?? []).includes(value!)) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
    }
  }
  return true;
}

/** A Service's `spec.selector` (a plain map): every pair must match; an empty map selects nothing for endpoints. */
export function matchesMap(selector: Labels | undefined, labels: Labels | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return matchesSelector({ matchLabels: selector }, labels);
}

/** `app=web,tier=front` as kubectl's -l takes it (equality-based only). */
export function formatSelector(labels: Labels): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
