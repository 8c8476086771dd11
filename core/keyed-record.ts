/**
 * A record keyed by outside data (department names and SKU part numbers from Graph, rows of a price
 * book): no prototype, so a key named `__proto__` is an ordinary entry. With `{}`,
 * `totals["__proto__"] ??= {…}` returns `Object.prototype` and the next write pollutes every object
 * of the process (found by the inputs fuzz tests: a department named "__proto__"). Pure.
 */
export function keyedRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
