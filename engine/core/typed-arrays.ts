/** A typed array of `length` elements holding a copy of `arr` (the rest zero): how pools of ids grow. */
export function grown<T extends Float64Array | Int32Array | Uint8Array>(arr: T, length: number): T {
  const next = new (arr.constructor as new (n: number) => T)(length);
  next.set(arr);
  return next;
}
