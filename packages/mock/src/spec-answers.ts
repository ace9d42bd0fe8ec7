import type { EndpointContext } from "./endpoints.ts";
import { declaredResponse, type OperationDescription, specSchemas, successStatus } from "./operations.ts";
import { invalidParameters } from "./pinterest-errors.ts";
import type { Reply } from "./reply.ts";
import { type SchemaObject, validate } from "./validate.ts";

/**
 * Answers for the operations the mock has no logic of its own for: after the spec's security and request checks, the
 * success status the operation declares, with a body made from the spec: its example when it fits the schema, else a
 * value made from the schema itself (examples and defaults of its parts, an enum's first value, a string that fits
 * its pattern, …). The same request gets the same answer. A list Pinterest pages with a `bookmark` holds
 * `listLength` items (60 by default), served `page_size` at a time (the spec's default, 25), each with its own `id`.
 */

type Schema = SchemaObject | string;

const resolve = (schema: Schema | undefined): SchemaObject | undefined => {
  if (schema === undefined) return undefined;
  const name = typeof schema === "string" ? schema : schema.$ref;
  if (name === undefined) return schema as SchemaObject;
  return resolve(specSchemas[name]);
};

const fits = (schema: Schema, value: unknown) => validate(specSchemas, schema, value).length === 0;

/** Strings tried, in order, for a string schema with a pattern (the first that matches is used). */
const candidates = [
  "549755885175",
  "2026-01-01",
  "2026-01-01T00:00:00.000Z",
  "https://www.pinterest.com/",
  "12:00",
  "AG549755885175",
  "C549755885175",
  "abc123",
  "string",
];

function sampleString(schema: SchemaObject): string {
  if (schema.pattern !== undefined) {
    const pattern = new RegExp(schema.pattern, "u");
    const found = candidates.find((text) => pattern.test(text));
    if (found !== undefined) return found;
  }
  if (schema.format === "date") return "2026-01-01";
  if (schema.format === "date-time") return "2026-01-01T00:00:00.000Z";
  const text = "string".padEnd(schema.minLength ?? 0, "x");
  return schema.maxLength === undefined ? text : text.slice(0, schema.maxLength);
}

function sampleNumber(schema: SchemaObject, integer: boolean): number {
  const low = schema.minimum ?? (schema.maximum !== undefined && schema.maximum < 1 ? schema.maximum : 1);
  const value = Math.min(Math.max(1, low), schema.maximum ?? Number.POSITIVE_INFINITY);
  return integer ? Math.ceil(value) : value;
}

/** A value that fits `schema`, the same every time; `depth` stops a schema that contains itself. */
export function sample(input: Schema, depth = 0): unknown {
  const schema = resolve(input);
  if (!schema) return undefined;
  for (const given of [schema.example, schema.default]) if (given !== undefined && fits(schema, given)) return given;
  if (schema.enum) return schema.enum.find((value) => value !== null) ?? null;
  const mapping = Object.entries(schema.discriminator?.mapping ?? {});
  if (schema.oneOf || schema.anyOf) {
    if (mapping.length > 0 && schema.discriminator) {
      const [value, target] = mapping[0] as [string, string];
      const body = sample(target.replace("#/components/schemas/", ""), depth + 1);
      return { ...(body as object), [schema.discriminator.propertyName]: value };
    }
    for (const branch of schema.oneOf ?? schema.anyOf ?? []) {
      const value = sample(branch, depth + 1);
      if (value !== undefined && fits(schema, value)) return value;
    }
  }
  const parts = (schema.allOf ?? []).map((part) => sample(part, depth + 1)).filter((part) => part !== undefined);
  const isObject = schema.type === "object" || schema.properties !== undefined;
  // An allOf of something that is not an object (an enum, a string with a description beside it): that thing.
  if (!isObject && parts.length > 0 && parts.every((part) => typeof part !== "object" || part === null))
    return parts[0];
  if (isObject || parts.length > 0) {
    const out: Record<string, unknown> = {};
    for (const part of parts) Object.assign(out, part);
    const required = new Set(schema.required ?? []);
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      // Deep inside a schema that nests itself, only what is required.
      if (depth > 6 && !required.has(name)) continue;
      const value = sample(property, depth + 1);
      if (value !== undefined) out[name] = value;
    }
    return out;
  }
  switch (schema.type ?? (schema.items === undefined ? undefined : "array")) {
    case "string":
      return sampleString(schema);
    case "integer":
    case "number":
      return sampleNumber(schema, schema.type === "integer");
    case "boolean":
      return true;
    case "array": {
      const count = Math.max(schema.minItems ?? 0, depth > 4 ? 0 : 1);
      const item = schema.items === undefined ? undefined : sample(schema.items, depth + 1);
      return item === undefined ? [] : Array.from({ length: count }, () => structuredClone(item));
    }
    default:
      return schema.nullable ? null : undefined;
  }
}

/** The item schema of a list Pinterest pages with `bookmark`, or undefined when the operation is no such list. */
export function pagedItems(op: OperationDescription): Schema | undefined {
  if (!op.parameters.some((p) => p.in === "query" && p.name === "bookmark")) return undefined;
  const body = resolve(declaredResponse(op, successStatus(op))?.schema);
  const properties = { ...body?.properties };
  for (const part of body?.allOf ?? []) Object.assign(properties, resolve(part)?.properties);
  const items = resolve(properties.items);
  return items?.items !== undefined && properties.bookmark !== undefined ? items.items : undefined;
}

const bookmarkPrefix = "pintoken-mock:";

/** The bookmark of the page that starts at item `offset` (opaque to clients, as Pinterest's are). */
const bookmarkAt = (offset: number) => btoa(`${bookmarkPrefix}${offset}`).replace(/=+$/, "");

function offsetOf(bookmark: unknown, length: number): number | undefined {
  if (bookmark === undefined) return 0;
  let text: string;
  try {
    text = atob(String(bookmark));
  } catch {
    return undefined;
  }
  const offset = Number(text.slice(bookmarkPrefix.length));
  return text.startsWith(bookmarkPrefix) && Number.isInteger(offset) && offset > 0 && offset < length
    ? offset
    : undefined;
}

/** Item `index` of a list: the item sample, with an `id` of its own when items have one. */
function listItem(item: unknown, index: number): unknown {
  const copy = structuredClone(item);
  if (copy && typeof copy === "object" && typeof (copy as { id?: unknown }).id === "string") {
    (copy as { id: string }).id = `${(copy as { id: string }).id}${index + 1}`;
  }
  return copy;
}

const bodies = new WeakMap<OperationDescription, unknown>();

/** The body of a success answer: the spec's example when it fits, else a sample of the schema (made once). */
function successBody(op: OperationDescription, status: number): unknown {
  if (bodies.has(op)) return bodies.get(op);
  const declared = declaredResponse(op, status);
  let body: unknown;
  if (declared?.schema !== undefined) {
    body =
      declared.example !== undefined && fits(declared.schema, declared.example)
        ? declared.example
        : sample(declared.schema);
  }
  bodies.set(op, body);
  return body;
}

/** The answer of an operation the mock has no logic of its own for (see the module comment). */
export function specAnswer(context: EndpointContext): Reply {
  const { op, input, config } = context;
  const status = successStatus(op);
  const items = pagedItems(op);
  if (items !== undefined) {
    const length = config.listLength;
    const offset = offsetOf(input.params.bookmark, length);
    if (offset === undefined) {
      return invalidParameters(
        `The bookmark ${JSON.stringify(input.params.bookmark)} is not one this mock gave: pass the bookmark of the previous page, or none for the first.`,
      );
    }
    const pageSize = Number(
      input.params.page_size ?? resolve(op.parameters.find((p) => p.name === "page_size")?.schema)?.default ?? 25,
    );
    const item = sample(items);
    const end = Math.min(offset + pageSize, length);
    const page = Array.from({ length: end - offset }, (_, i) => listItem(item, offset + i));
    const base = successBody(op, status) as Record<string, unknown>;
    return { kind: "json", status, body: { ...base, items: page, bookmark: end < length ? bookmarkAt(end) : null } };
  }
  const body = successBody(op, status);
  return body === undefined ? { kind: "empty", status } : { kind: "json", status, body };
}
