/**
 * Checks a token answer or an error body against its shape, generated from the spec (`generated/token-checks.gen.ts`):
 * the required fields, and the type of every field the spec declares. Unknown fields are allowed (Pinterest adds
 * some). The generic validator of `@pintoken/core/schema` checks the same bodies the same way; this one is a loop over
 * two small tables, so the OAuth client stays small and fast.
 */

/** A field type the shapes use. */
export type FieldType = "string" | "integer" | "number" | "boolean";

/** An object body: the fields it requires and the type of each field it declares. */
export interface Shape {
  readonly required: readonly string[];
  readonly fields: { readonly [name: string]: FieldType };
}

/**
 * A body with variants picked by its `tag` field: each variant requires its fields besides `required`, and leaves out
 * its `undeclared` fields, if any (allowed there with any type, so not checked; core ignores them).
 */
export interface TaggedShape extends Shape {
  readonly tag: string;
  readonly variants: { readonly [value: string]: readonly string[] };
  readonly undeclared: { readonly [value: string]: readonly string[] };
}

/** Describes a value for a message without echoing secrets: long strings (tokens) are shown by length only. */
export function show(value: unknown): string {
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
 * What is wrong with `body`, one `"/path: problem"` each (empty when it fits), e.g.
 * `/expires_in: expected integer, got string "30"`.
 */
export function check(shape: Shape | TaggedShape, body: unknown): string[] {
  if (show(body) !== "object") return [`(body): expected object, got ${show(body)}`];
  const record = body as Record<string, unknown>;
  const issues: string[] = [];
  let extra: readonly string[] = [];
  let untyped: readonly string[] = [];
  if ("tag" in shape && record[shape.tag] !== undefined) {
    const value = record[shape.tag];
    const variants = shape.variants;
    if (typeof value !== "string" || !Object.hasOwn(variants, value))
      return [
        `/${shape.tag}: expected one of ${Object.keys(variants)
          .map((v) => JSON.stringify(v))
          .join(", ")}, got ${show(value)}`,
      ];
    extra = variants[value] as readonly string[];
    untyped = shape.undeclared[value] ?? [];
  }
  for (const names of [shape.required, extra])
    for (const name of names) if (record[name] === undefined) issues.push(`/${name}: is required but missing`);
  for (const name in shape.fields) {
    const value = record[name];
    const type = shape.fields[name];
    if (
      value !== undefined &&
      !untyped.includes(name) &&
      (type === "integer" ? !Number.isInteger(value) : typeof value !== type)
    )
      issues.push(`/${name}: expected ${type}, got ${show(value)}`);
  }
  return issues;
}
