/**
 * metav1.Time as a controller sees it. The API server serializes timestamps as RFC 3339 with
 * whole seconds (k8s.io/apimachinery/pkg/apis/meta/v1/time.go MarshalJSON: Format(time.RFC3339),
 * which truncates), and controllers read objects back from their informers: so every
 * comparison of two timestamps upstream (Time.Equal, Time.Before) is between whole seconds.
 * kubesim keeps unrounded seconds in its objects (its clock starts at the Unix epoch), so a
 * rule that compares timestamps truncates them first with `apiTime`.
 */

/** A timestamp as it comes back from the API: whole seconds. Undefined (Go's zero time) stays undefined. */
export function apiTime(t: number | undefined): number | undefined {
  return t === undefined ? undefined : Math.floor(t);
}
