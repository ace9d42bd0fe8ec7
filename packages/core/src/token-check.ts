/**
 * Checks a token answer or an error body against its shape, generated from the spec (`generated/token-checks.gen.ts`):
 * the required fields, and the type of every field the spec declares. Unknown fields are allowed (Pinterest adds
 * some). The generic validator of `@pintoken/mock` checks the same bodies the same way (its tests hold the two to
 * agreement); this one is a loop over two small tables, so the OAuth client stays small and fast.
 */

/**
 * An object body, generated from the spec: each field maps to `[type, modes]`, its type (`string`, `integer`,
 * `number` or `boolean`) and one letter per variant: `R` required, `o` optional, `-` left out (allowed there with any
 * type, so not checked; core ignores it). A body with variants names its own in its `tag` field, one of `variants`
 * (in the order of the letters); a body without it requires what every variant requires and types every field some
 * variant declares.
 */
export interface Shape {
  readonly tag?: string;
  readonly variants?: readonly string[];
  readonly fields: { readonly [name: string]: readonly [type: string, modes: string] };
}

/**
 * Describes a value for an error message without echoing a secret: its type, and short strings and numbers as they
 * are; a long string (a token, say) only by its length.
 *
 * @example
 * ```ts
 * describeValue("30"); // 'string "30"'
 * describeValue(1.5); // "number 1.5"
 * describeValue("pina_" + "x".repeat(40)); // "a string of 45 characters"
 * ```
 */
export function describeValue(value: unknown): string {
  const type = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
  return type === "string"
    ? (value as string).length > 24
      ? `a string of ${(value as string).length} characters`
      : `string ${JSON.stringify(value)}`
    : type === "number" || type === "boolean"
      ? `${Number.isInteger(value) ? "integer" : type} ${value}`
      : type;
}

/**
 * What is wrong with `body`, one `"/path: problem"` each (empty when it fits): the missing fields, then the mistyped,
 * e.g. `/expires_in: expected integer, got string "30"`.
 */
export function check({ tag, variants = [], fields }: Shape, body: unknown): string[] {
  const kind = describeValue(body);
  if (kind !== "object") return [`(body): expected object, got ${kind}`];
  const record = body as Record<string, unknown>;
  const value = tag && record[tag];
  const variant = variants.indexOf(value as string);
  if (value !== undefined && variant < 0)
    return [
      `/${tag}: expected one of ${variants.map((v) => JSON.stringify(v)).join(", ")}, got ${describeValue(value)}`,
    ];
  const missing: string[] = [];
  const wrong: string[] = [];
  for (const name in fields) {
    const [type, modes] = fields[name] as readonly [string, string];
    const mode = variant < 0 ? (/^R+$/.test(modes) ? "R" : "") : modes[variant];
    const field = record[name];
    if (field === undefined) {
      if (mode === "R") missing.push(`/${name}: is required but missing`);
    } else if (mode !== "-" && (type === "integer" ? !Number.isInteger(field) : typeof field !== type))
      wrong.push(`/${name}: expected ${type}, got ${describeValue(field)}`);
  }
  return [...missing, ...wrong];
}
