/**
 * intstr.GetScaledValueFromIntOrPercent (k8s.io/apimachinery/pkg/util/intstr): an int as is;
 * "p%" scaled by `total` with math.Ceil/Floor(float64(p) * float64(total) / 100); a numeric
 * string without % as its number; anything else is invalid.
 */
export function scaledValue(value: number | string, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m) {
    if (/^\d+$/.test(value)) return Number(value);
    throw new RangeError(`invalid value for IntOrString: invalid value "${value}"`);
  }
  const scaled = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}
