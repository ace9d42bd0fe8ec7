/** A value as error messages show it: numbers as written (`NaN`, `1.5`), anything else as JSON. */
export function shown(value: unknown): string {
  return typeof value === "number" ? String(value) : (JSON.stringify(value) ?? String(value));
}

/** Returns `value` if it is a whole number ≥ `min`; otherwise throws a message that says so. */
export function checkWhole(name: string, value: unknown, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new RangeError(`${name} must be a whole number ≥ ${min}, got ${shown(value)}.`);
  }
  return value;
}

/** A list for a message: all of it when short, else the first few and how many there are in all. */
export function listed(values: readonly string[], max = 8): string {
  return values.length <= max ? values.join(", ") : `${values.slice(0, max).join(", ")}, … (${values.length} in all)`;
}
