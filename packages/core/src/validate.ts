/**
 * A small validator for the subset of OpenAPI 3.0 Schema Objects that Pinterest's description uses, so bodies can
 * be checked against the spec at run time without shipping a JSON Schema engine. Unknown properties are allowed
 * (Pinterest adds fields); a `oneOf` with a discriminator picks its branch by the discriminator value, and without
 * one accepts any matching branch (Pinterest's response variants overlap, and `response_type` is optional).
 *
 * @module
 */

/** The validation keywords of an OpenAPI 3.0 Schema Object (`$ref` holds a component schema name). */
export interface SchemaObject {
  readonly type?: string;
  readonly properties?: { readonly [name: string]: SchemaObject };
  readonly required?: readonly string[];
  readonly enum?: readonly unknown[];
  readonly allOf?: readonly SchemaObject[];
  readonly oneOf?: readonly SchemaObject[];
  readonly anyOf?: readonly SchemaObject[];
  readonly discriminator?: { readonly propertyName: string; readonly mapping?: { readonly [value: string]: string } };
  readonly nullable?: boolean;
  readonly items?: SchemaObject;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly $ref?: string;
}

/** Component schemas by name. */
export type SchemaRegistry = { readonly [name: string]: SchemaObject };

/** One way a value fails its schema. `path` is a JSON Pointer into the value ("" for the value itself). */
export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
}

const patterns = new Map<string, RegExp>();

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** Describes a value for a message without echoing secrets: long strings (tokens) are shown by length only. */
function show(value: unknown): string {
  if (typeof value === "string")
    return value.length <= 24 ? `string ${JSON.stringify(value)}` : `a string of ${value.length} characters`;
  if (value === null || value === undefined) return String(value);
  if (typeof value === "object") return typeOf(value);
  return `${typeOf(value)} ${String(value)}`;
}

function matchesType(type: string, value: unknown): boolean {
  switch (type) {
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    case "array":
      return Array.isArray(value);
    default:
      return typeof value === type;
  }
}

function resolve(registry: SchemaRegistry, schema: SchemaObject | string): SchemaObject {
  const name = typeof schema === "string" ? schema : schema.$ref;
  if (name === undefined) return schema as SchemaObject;
  const found = registry[name];
  if (!found) throw new Error(`Unknown schema "${name}" (is the generated code out of date? run \`pnpm generate\`)`);
  return found.$ref ? resolve(registry, found) : found;
}

function check(
  registry: SchemaRegistry,
  input: SchemaObject | string,
  value: unknown,
  path: string,
  out: ValidationIssue[],
) {
  const schema = resolve(registry, input);
  if (value === null && schema.nullable) return;
  if (schema.type && !matchesType(schema.type, value)) {
    out.push({ path, message: `expected ${schema.type}${schema.nullable ? " or null" : ""}, got ${show(value)}` });
    return;
  }
  if (schema.enum && !schema.enum.includes(value)) {
    out.push({
      path,
      message: `expected one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}, got ${show(value)}`,
    });
    return;
  }
  if (typeof value === "string") {
    if (schema.pattern !== undefined) {
      let re = patterns.get(schema.pattern);
      if (!re) {
        re = new RegExp(schema.pattern, "u");
        patterns.set(schema.pattern, re);
      }
      if (!re.test(value))
        out.push({ path, message: `expected a string matching ${schema.pattern}, got ${show(value)}` });
    }
    if (schema.minLength !== undefined && value.length < schema.minLength)
      out.push({ path, message: `expected at least ${schema.minLength} characters, got ${value.length}` });
    if (schema.maxLength !== undefined && value.length > schema.maxLength)
      out.push({ path, message: `expected at most ${schema.maxLength} characters, got ${value.length}` });
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum)
      out.push({ path, message: `expected ≥ ${schema.minimum}, got ${value}` });
    if (schema.maximum !== undefined && value > schema.maximum)
      out.push({ path, message: `expected ≤ ${schema.maximum}, got ${value}` });
  }
  const isObject = matchesType("object", value);
  if (isObject && (schema.properties || schema.required)) {
    const record = value as Record<string, unknown>;
    for (const name of schema.required ?? []) {
      if (record[name] === undefined) out.push({ path: `${path}/${name}`, message: "is required but missing" });
    }
    for (const name in schema.properties) {
      const sub = schema.properties[name] as SchemaObject;
      if (record[name] !== undefined) check(registry, sub, record[name], `${path}/${name}`, out);
    }
  } else if ((schema.properties || schema.required) && !schema.type) {
    out.push({ path, message: `expected object, got ${show(value)}` });
    return;
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, i) => {
      check(registry, schema.items as SchemaObject, item, `${path}/${i}`, out);
    });
  }
  for (const part of schema.allOf ?? []) check(registry, part, value, path, out);
  if (schema.oneOf || schema.anyOf) checkAlternatives(registry, schema, value, path, out);
}

function checkAlternatives(
  registry: SchemaRegistry,
  schema: SchemaObject,
  value: unknown,
  path: string,
  out: ValidationIssue[],
) {
  const branches = (schema.oneOf ?? schema.anyOf) as readonly SchemaObject[];
  const discriminator = schema.discriminator;
  const tag =
    discriminator && matchesType("object", value)
      ? (value as Record<string, unknown>)[discriminator.propertyName]
      : undefined;
  if (discriminator && tag !== undefined) {
    const mapped = typeof tag === "string" ? discriminator.mapping?.[tag] : undefined;
    const target =
      mapped?.replace("#/components/schemas/", "") ?? (typeof tag === "string" && registry[tag] ? tag : undefined);
    if (!target) {
      const known = Object.keys(discriminator.mapping ?? {});
      out.push({
        path: `${path}/${discriminator.propertyName}`,
        message: `expected one of ${known.map((v) => JSON.stringify(v)).join(", ")}, got ${show(tag)}`,
      });
      return;
    }
    check(registry, target, value, path, out);
    return;
  }
  let best: ValidationIssue[] | undefined;
  for (const branch of branches) {
    const issues: ValidationIssue[] = [];
    check(registry, branch, value, path, issues);
    if (issues.length === 0) return;
    if (!best || issues.length < best.length) best = issues;
  }
  out.push(...(best ?? [{ path, message: "matches no alternative" }]));
}

/**
 * Checks `value` against a schema (or the name of a component schema) and lists every problem found.
 *
 * @example
 * ```ts
 * import { schemas, validate } from "@pintoken/core/schema";
 * validate(schemas, "Error", { code: "x" });
 * // → [{ path: "/code", message: 'expected integer, got string "x"' }, { path: "/message", message: "is required but missing" }]
 * ```
 */
export function validate(registry: SchemaRegistry, schema: SchemaObject | string, value: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  check(registry, schema, value, "", issues);
  return issues;
}

/** Formats issues as one line each, e.g. `/expires_in: expected integer, got string "30"`. */
export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((issue) => `${issue.path || "(body)"}: ${issue.message}`).join("; ");
}
