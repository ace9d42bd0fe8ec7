/**
 * A small validator for the subset of OpenAPI 3.0 Schema Objects that Pinterest's description uses, so bodies can
 * be checked against the spec at run time without shipping a JSON Schema engine. Unknown properties are allowed
 * (Pinterest adds fields); a `oneOf` with a discriminator picks its branch by the discriminator value, and without
 * one accepts any matching branch (Pinterest's response variants overlap, and `response_type` is optional).
 *
 * @module
 */

import { describeValue } from "@pintoken/core";

/**
 * The validation keywords of an OpenAPI 3.0 Schema Object (`$ref` holds a component schema name).
 *
 * @example
 * ```ts
 * const scope: SchemaObject = { type: "string", minLength: 1 };
 * validate({}, scope, ""); // [{ path: "", message: "…" }]
 * ```
 */
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
  /** Not checked; what the mock's answers are made from. */
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly format?: string;
  readonly example?: unknown;
  readonly default?: unknown;
}

/**
 * Component schemas by name.
 *
 * @example
 * ```ts
 * const registry: SchemaRegistry = { Scope: { type: "string" }, Scopes: { type: "array", items: { $ref: "Scope" } } };
 * validate(registry, "Scopes", ["pins:read"]); // []
 * ```
 */
export type SchemaRegistry = { readonly [name: string]: SchemaObject };

/**
 * One way a value fails its schema. `path` is a JSON Pointer into the value ("" for the value itself).
 *
 * @example
 * ```ts
 * for (const { path, message } of validate(schemas, "OauthAccessTokenResponse", body)) console.error(path, message);
 * ```
 */
export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
}

const patterns = new Map<string, RegExp>();

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

/** A compiled schema: pushes what is wrong with `value` (at `path`) onto `out`. */
type Check = (value: unknown, path: string, out: ValidationIssue[]) => void;

/**
 * Compiled checks by registry and schema (object or name). Each schema is turned once into closures that read only
 * what they need: walking the schema objects on every call was the most expensive part of checking a token answer.
 */
const compiled = new WeakMap<SchemaRegistry, Map<SchemaObject | string, Check>>();

function compile(registry: SchemaRegistry, input: SchemaObject | string): Check {
  let byInput = compiled.get(registry);
  if (!byInput) {
    byInput = new Map();
    compiled.set(registry, byInput);
  }
  let check = byInput.get(input);
  if (!check) {
    const schema = resolve(registry, input);
    check = byInput.get(schema) ?? build(registry, schema);
    byInput.set(input, check).set(schema, check);
  }
  return check;
}

/** Compiles `schema` when first reached: schemas may refer to themselves, and an unknown one fails only if reached. */
function lazy(registry: SchemaRegistry, schema: SchemaObject | string): Check {
  let check: Check | undefined;
  return (value, path, out) => {
    check ??= compile(registry, schema);
    check(value, path, out);
  };
}

function build(registry: SchemaRegistry, schema: SchemaObject): Check {
  const { type, nullable, pattern, minLength, maxLength, minimum, maximum, discriminator } = schema;
  const required = schema.required ?? [];
  const allowed = schema.enum;
  const properties = Object.entries(schema.properties ?? {}).map(([name, sub]) => [name, lazy(registry, sub)] as const);
  const objectShaped = Boolean(schema.properties || schema.required);
  const items = schema.items && lazy(registry, schema.items);
  const parts = (schema.allOf ?? []).map((part) => lazy(registry, part));
  const branches = (schema.oneOf ?? schema.anyOf)?.map((branch) => lazy(registry, branch));
  const mapped = new Map(
    Object.entries(discriminator?.mapping ?? {}).map(([tag, target]) => [
      tag,
      lazy(registry, target.replace("#/components/schemas/", "")),
    ]),
  );
  let re: RegExp | undefined;
  return (value, path, out) => {
    if (value === null && nullable) return;
    if (type && !matchesType(type, value)) {
      out.push({ path, message: `expected ${type}${nullable ? " or null" : ""}, got ${describeValue(value)}` });
      return;
    }
    if (allowed && !allowed.includes(value)) {
      out.push({
        path,
        message: `expected one of ${allowed.map((v) => JSON.stringify(v)).join(", ")}, got ${describeValue(value)}`,
      });
      return;
    }
    if (typeof value === "string") {
      if (pattern !== undefined) {
        re ??= patterns.get(pattern) ?? new RegExp(pattern, "u");
        patterns.set(pattern, re);
        if (!re.test(value))
          out.push({ path, message: `expected a string matching ${pattern}, got ${describeValue(value)}` });
      }
      if (minLength !== undefined && value.length < minLength)
        out.push({ path, message: `expected at least ${minLength} characters, got ${value.length}` });
      if (maxLength !== undefined && value.length > maxLength)
        out.push({ path, message: `expected at most ${maxLength} characters, got ${value.length}` });
    }
    if (typeof value === "number") {
      if (minimum !== undefined && value < minimum) out.push({ path, message: `expected ≥ ${minimum}, got ${value}` });
      if (maximum !== undefined && value > maximum) out.push({ path, message: `expected ≤ ${maximum}, got ${value}` });
    }
    const isObject = matchesType("object", value);
    if (isObject && objectShaped) {
      const record = value as Record<string, unknown>;
      for (const name of required) {
        if (record[name] === undefined) out.push({ path: `${path}/${name}`, message: "is required but missing" });
      }
      for (const [name, check] of properties) {
        if (record[name] !== undefined) check(record[name], `${path}/${name}`, out);
      }
    } else if (objectShaped && !type) {
      out.push({ path, message: `expected object, got ${describeValue(value)}` });
      return;
    }
    if (items && Array.isArray(value)) {
      value.forEach((item, i) => {
        items(item, `${path}/${i}`, out);
      });
    }
    for (const part of parts) part(value, path, out);
    if (!branches) return;
    const tag = discriminator && isObject ? (value as Record<string, unknown>)[discriminator.propertyName] : undefined;
    if (discriminator && tag !== undefined) {
      const target =
        (typeof tag === "string" ? mapped.get(tag) : undefined) ??
        (typeof tag === "string" && registry[tag] ? compile(registry, tag) : undefined);
      if (!target) {
        const known = [...mapped.keys()].map((v) => JSON.stringify(v)).join(", ");
        out.push({
          path: `${path}/${discriminator.propertyName}`,
          message: `expected one of ${known}, got ${describeValue(tag)}`,
        });
        return;
      }
      target(value, path, out);
      return;
    }
    let best: ValidationIssue[] | undefined;
    for (const branch of branches) {
      const found: ValidationIssue[] = [];
      branch(value, path, found);
      const issues = distinct(found);
      if (issues.length === 0) return;
      if (!best || issues.length < best.length) best = issues;
    }
    out.push(...(best ?? [{ path, message: "matches no alternative" }]));
  };
}

/** Each problem once: a schema may require a field twice (Pinterest's refresh response does, inside and beside allOf). */
function distinct(issues: ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  return issues.filter(({ path, message }) => {
    const key = `${path}\n${message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Checks `value` against a schema (or the name of a component schema) and lists every problem found, each once.
 *
 * @example
 * ```ts
 * import { schemas, validate } from "@pintoken/mock";
 * validate(schemas, "Error", { code: "x" });
 * // → [{ path: "/code", message: 'expected integer, got string "x"' }, { path: "/message", message: "is required but missing" }]
 * ```
 */
export function validate(registry: SchemaRegistry, schema: SchemaObject | string, value: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  compile(registry, schema)(value, "", issues);
  return distinct(issues);
}

/**
 * Formats issues as one line each, e.g. `/expires_in: expected integer, got string "30"`.
 *
 * @example
 * ```ts
 * const issues = validate(schemas, "OauthAccessTokenResponse", body);
 * if (issues.length > 0) throw new Error(`Unexpected token response: ${formatIssues(issues)}`);
 * ```
 */
export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((issue) => `${issue.path || "(body)"}: ${issue.message}`).join("; ");
}
