import { type Doc, resolveRef } from "./document.ts";
import { operations } from "./filter.ts";

type Schema = Record<string, unknown>;

/**
 * A property as the generated types see it: its type (in OpenAPI terms, `| null` when nullable, enums as their
 * values), whether it is required (declared so, or, outside request bodies and parameters, given a default, as
 * openapi-typescript does) and whether it is `readonly` (readOnly in the spec).
 */
export interface PropertyShape {
  type: string;
  required: boolean;
  readOnly: boolean;
}

/** How one schema that exists before and after changed. Property names of inline objects are paths: `a.b`, `a[].b`. */
export interface SchemaChange {
  schema: string;
  /** Set when the schema's own shape changed (e.g. `object` → `oneOf: A | B`, or an enum's values). */
  shape?: { before: string; after: string };
  added: ({ name: string } & PropertyShape)[];
  removed: ({ name: string } & PropertyShape)[];
  changed: { name: string; before: PropertyShape; after: PropertyShape }[];
}

/** An operation, named the way the generated `paths` type names it. */
export interface OperationName {
  method: string;
  path: string;
  operationId?: string;
}

/** What changed between two corrected descriptions, in the terms of the generated types. */
export interface TypeChanges {
  operationsAdded: OperationName[];
  operationsRemoved: OperationName[];
  /** Parameters, request bodies and responses of operations that exist before and after. */
  operationsChanged: { operation: OperationName; details: string[] }[];
  schemasAdded: string[];
  schemasRemoved: string[];
  schemasChanged: SchemaChange[];
}

const schemasOf = (doc: Doc | undefined) =>
  ((doc?.components as { schemas?: Record<string, Schema> } | undefined)?.schemas ?? {}) as Record<string, Schema>;

const refName = (ref: string) => ref.split("/").pop() as string;

/** The object a `$ref` names (`{}` when it points nowhere), or the object itself. */
function resolve(doc: Doc, schema: Schema): Schema {
  return resolveRef(doc, schema) ?? {};
}

/** An object declared in place (its members, not a component, describe it): listed member by member. */
const isInlineObject = (s: Schema): boolean =>
  typeof s.$ref !== "string" &&
  !s.oneOf &&
  !s.anyOf &&
  (s.properties !== undefined || (Array.isArray(s.allOf) && (s.allOf as Schema[]).some(isInlineObject)));

/** A compact, TypeScript-like rendering of a schema's type, e.g. `"A" | "B"`, `integer | null`, `Account[]`. */
export function typeText(schema: unknown, depth = 0): string {
  if (schema === null || typeof schema !== "object") return "unknown";
  const s = schema as Schema;
  // openapi-typescript ignores a $ref's siblings (nullable included), as OpenAPI 3.0 says.
  if (typeof s.$ref === "string") return refName(s.$ref);
  const group = (text: string) => (/[|&]/.test(text) ? `(${text})` : text);
  let text: string;
  if (Array.isArray(s.oneOf) || Array.isArray(s.anyOf)) {
    text = ((s.oneOf ?? s.anyOf) as unknown[]).map((member) => typeText(member, depth + 1)).join(" | ");
  } else if (Array.isArray(s.allOf)) {
    text = (s.allOf as unknown[]).map((member) => group(typeText(member, depth + 1))).join(" & ");
  } else if (Array.isArray(s.enum)) {
    text = s.enum.map((value) => JSON.stringify(value)).join(" | ");
  } else if (s.type === "array") {
    text = `${group(typeText(s.items, depth + 1))}[]`;
  } else if (s.type === "object" || s.properties || s.additionalProperties) {
    const properties = Object.entries((s.properties ?? {}) as Record<string, unknown>);
    const required = new Set((s.required ?? []) as string[]);
    const members = properties.map(
      ([name, sub]) => `${name}${required.has(name) ? "" : "?"}: ${typeText(sub, depth + 1)}`,
    );
    if (s.additionalProperties && typeof s.additionalProperties === "object") {
      members.push(`[key: string]: ${typeText(s.additionalProperties, depth + 1)}`);
    }
    text = members.length === 0 ? "object" : depth >= 3 ? "{ … }" : `{ ${members.join("; ")} }`;
  } else {
    text = typeof s.type === "string" ? s.type : "unknown";
  }
  return s.nullable === true ? `${text} | null` : text;
}

/**
 * The type of a property whose inline object members are listed on their own (`a.b`): `object`, `object[]`.
 */
function propertyType(schema: Schema): string {
  if (isInlineObject(schema)) return schema.nullable === true ? "object | null" : "object";
  if (schema.type === "array" && schema.items && isInlineObject(schema.items as Schema)) {
    return schema.nullable === true ? "object[] | null" : "object[]";
  }
  return typeText(schema, 1);
}

/**
 * Every property of a schema as the generated types see it: its own and its allOf members' (a `$ref`'d member's
 * too), and the members of inline objects under their path (`a.b`, `a[].b`). `defaultsRequire`: a property with a
 * default is required (openapi-typescript's default, except in request bodies and parameters).
 */
export function propertiesOf(
  doc: Doc,
  schema: Schema,
  { defaultsRequire = true, prefix = "" } = {},
  out = new Map<string, PropertyShape>(),
  seen = new Set<Schema>(),
): Map<string, PropertyShape> {
  const declared = new Map<string, Schema>();
  const required = new Set<string>();
  const gather = (part: Schema) => {
    if (seen.has(part)) return;
    seen.add(part);
    for (const name of (part.required ?? []) as string[]) required.add(name);
    for (const [name, sub] of Object.entries((part.properties ?? {}) as Record<string, Schema>)) {
      if (!declared.has(name)) declared.set(name, sub);
    }
    for (const member of (part.allOf ?? []) as Schema[]) gather(resolve(doc, member));
  };
  gather(schema);
  for (const [name, sub] of declared) {
    const path = `${prefix}${name}`;
    const hasDefault = defaultsRequire && typeof sub.$ref !== "string" && sub.default !== undefined;
    out.set(path, {
      type: propertyType(sub),
      required: required.has(name) || hasDefault,
      readOnly: sub.readOnly === true,
    });
    const nested = sub.type === "array" && sub.items ? (sub.items as Schema) : sub;
    if (isInlineObject(nested)) {
      const inner = `${path}${nested === sub ? "" : "[]"}.`;
      propertiesOf(doc, nested, { defaultsRequire, prefix: inner }, out, new Set(seen));
    }
  }
  return out;
}

/** The shape of a schema itself: `object`, `oneOf: A | B`, or its type. */
function shapeOf(schema: Schema, properties: Map<string, PropertyShape>): string {
  if (Array.isArray(schema.oneOf) || Array.isArray(schema.anyOf)) {
    return `${schema.oneOf ? "oneOf" : "anyOf"}: ${typeText({ oneOf: schema.oneOf ?? schema.anyOf })}`;
  }
  if (properties.size > 0 || schema.type === "object" || Array.isArray(schema.allOf)) return "object";
  return typeText(schema);
}

const sameShape = (a: PropertyShape, b: PropertyShape) =>
  a.type === b.type && a.required === b.required && a.readOnly === b.readOnly;

/** Added, removed and changed properties between two property maps. */
function diffProperties(a: Map<string, PropertyShape>, b: Map<string, PropertyShape>) {
  const added: SchemaChange["added"] = [];
  const removed: SchemaChange["removed"] = [];
  const changed: SchemaChange["changed"] = [];
  for (const [name, shape] of b) {
    const old = a.get(name);
    if (!old) added.push({ name, ...shape });
    else if (!sameShape(old, shape)) changed.push({ name, before: old, after: shape });
  }
  for (const [name, shape] of a) if (!b.has(name)) removed.push({ name, ...shape });
  return { added, removed, changed };
}

function compareSchema(name: string, before: Doc, after: Doc): SchemaChange | undefined {
  const schemaA = schemasOf(before)[name] as Schema;
  const schemaB = schemasOf(after)[name] as Schema;
  const a = propertiesOf(before, schemaA);
  const b = propertiesOf(after, schemaB);
  const change: SchemaChange = { schema: name, ...diffProperties(a, b) };
  const shapeA = shapeOf(schemaA, a);
  const shapeB = shapeOf(schemaB, b);
  if (shapeA !== shapeB) change.shape = { before: shapeA, after: shapeB };
  return change.shape || change.added.length || change.removed.length || change.changed.length ? change : undefined;
}

type Operation = {
  operationId?: string;
  parameters?: Schema[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
};

/** A property's shape as one line, e.g. `items[].id?: string` or `readonly count?: integer | null`. */
const propertyLabel = (name: string, p: PropertyShape) =>
  `${p.readOnly ? "readonly " : ""}${name}${p.required ? "" : "?"}: ${p.type}`;

/** A property's shape without its name, e.g. `optional string | null`, `required readonly integer`. */
const shapeLabel = (p: PropertyShape) =>
  `${p.required ? "required" : "optional"}${p.readOnly ? " readonly" : ""} ${p.type}`;

/**
 * What the generated types say about an operation: one entry per parameter, request body and response, and one per
 * member of an inline body schema (`response 200 application/json: items[].id`), so that a change anywhere shows.
 */
function operationFacts(doc: Doc, op: Operation): Map<string, string> {
  const facts = new Map<string, string>();
  for (const raw of op.parameters ?? []) {
    const p = resolve(doc, raw);
    facts.set(
      `parameter ${p.name} (${p.in})`,
      `${p.required === true ? "required" : "optional"} ${typeText(p.schema)}`,
    );
  }
  const body = (label: string, schema: Schema | undefined, defaultsRequire: boolean) => {
    if (!schema || !isInlineObject(schema)) return;
    for (const [name, shape] of propertiesOf(doc, schema, { defaultsRequire })) {
      facts.set(`${label}: ${name}`, shapeLabel(shape));
    }
  };
  if (op.requestBody) {
    const request = resolve(doc, op.requestBody as Schema) as Operation["requestBody"] & Schema;
    for (const [type, media] of Object.entries(request.content ?? {})) {
      const label = `request body ${type}`;
      facts.set(label, `${request.required === true ? "required" : "optional"} ${propertyType(media.schema ?? {})}`);
      body(label, media.schema, false);
    }
  }
  for (const [status, response] of Object.entries(op.responses ?? {})) {
    const content = Object.entries(resolve(doc, response as Schema).content ?? {}) as [string, { schema?: Schema }][];
    facts.set(
      `response ${status}`,
      content.length
        ? content.map(([type, media]) => `${type} ${propertyType(media.schema ?? {})}`).join(", ")
        : "no body",
    );
    for (const [type, media] of content) body(`response ${status} ${type}`, media.schema, true);
  }
  return facts;
}

/** Compares two corrected descriptions (`undefined`: there was none, or there is none). */
export function compareSpecs(before: Doc | undefined, after: Doc | undefined): TypeChanges {
  const previous = before ?? {};
  const next = after ?? {};
  const key = (o: { method: string; path: string }) => `${o.method.toUpperCase()} ${o.path}`;
  const opsBefore = new Map(operations(previous).map((o) => [key(o), o]));
  const opsAfter = new Map(operations(next).map((o) => [key(o), o]));
  const name = (o: { method: string; path: string; operation: { operationId?: string } }): OperationName => ({
    method: o.method.toUpperCase(),
    path: o.path,
    ...(o.operation.operationId ? { operationId: o.operation.operationId } : {}),
  });
  const operationsChanged: TypeChanges["operationsChanged"] = [];
  for (const [k, o] of opsAfter) {
    const old = opsBefore.get(k);
    if (!old) continue;
    const a = operationFacts(previous, old.operation as Operation);
    const b = operationFacts(next, o.operation as Operation);
    const details: string[] = [];
    for (const [fact, value] of b) {
      const was = a.get(fact);
      if (was === undefined) details.push(`+ ${fact}: ${value}`);
      else if (was !== value) details.push(`~ ${fact}: ${was} → ${value}`);
    }
    for (const [fact, value] of a) if (!b.has(fact)) details.push(`- ${fact}: ${value}`);
    if (old.operation.operationId !== o.operation.operationId) {
      details.push(`~ operationId: ${old.operation.operationId ?? "(none)"} → ${o.operation.operationId ?? "(none)"}`);
    }
    if (details.length) operationsChanged.push({ operation: name(o), details });
  }
  const schemasBefore = schemasOf(previous);
  const schemasAfter = schemasOf(next);
  return {
    operationsAdded: [...opsAfter].filter(([k]) => !opsBefore.has(k)).map(([, o]) => name(o)),
    operationsRemoved: [...opsBefore].filter(([k]) => !opsAfter.has(k)).map(([, o]) => name(o)),
    operationsChanged,
    schemasAdded: Object.keys(schemasAfter).filter((n) => !(n in schemasBefore)),
    schemasRemoved: Object.keys(schemasBefore).filter((n) => !(n in schemasAfter)),
    schemasChanged: Object.keys(schemasAfter)
      .filter((n) => n in schemasBefore)
      .flatMap((n) => compareSchema(n, previous, next) ?? []),
  };
}

/** Whether anything at all changed. */
export const hasTypeChanges = (c: TypeChanges) =>
  c.operationsAdded.length +
    c.operationsRemoved.length +
    c.operationsChanged.length +
    c.schemasAdded.length +
    c.schemasRemoved.length +
    c.schemasChanged.length >
  0;

const operationLabel = (o: OperationName) => `${o.method} ${o.path}${o.operationId ? ` (${o.operationId})` : ""}`;

/** The lines saying how one property changed: its type, whether it is required, whether it is readonly. */
function propertyChange({ name, before, after }: SchemaChange["changed"][number]): string[] {
  const lines: string[] = [];
  if (before.type !== after.type) lines.push(`~ ${name}: ${before.type} → ${after.type}`);
  if (before.required !== after.required) {
    lines.push(`~ ${name}: ${before.required ? "required" : "optional"} → ${after.required ? "required" : "optional"}`);
  }
  if (before.readOnly !== after.readOnly) {
    lines.push(`~ ${name}: ${before.readOnly ? "readonly" : "writable"} → ${after.readOnly ? "readonly" : "writable"}`);
  }
  return lines;
}

/** A readable summary, one section per kind of change; long lists are cut at `limit` entries with a count. */
export function formatTypeChanges(c: TypeChanges, { limit = 40 } = {}): string[] {
  const lines: string[] = [];
  const list = <T>(title: string, items: T[], render: (item: T) => string[]) => {
    if (!items.length) return;
    lines.push(`${title} (${items.length}):`);
    for (const item of items.slice(0, limit)) lines.push(...render(item).map((line) => `  ${line}`));
    if (items.length > limit) lines.push(`  … and ${items.length - limit} more`);
  };
  list("Operations added", c.operationsAdded, (o) => [`+ ${operationLabel(o)}`]);
  list("Operations removed", c.operationsRemoved, (o) => [`- ${operationLabel(o)}`]);
  list("Operations changed", c.operationsChanged, ({ operation, details }) => [
    `~ ${operationLabel(operation)}`,
    ...details.map((d) => `    ${d}`),
  ]);
  list("Schemas added", c.schemasAdded, (n) => [`+ ${n}`]);
  list("Schemas removed", c.schemasRemoved, (n) => [`- ${n}`]);
  list("Schemas changed", c.schemasChanged, (s) => [
    s.schema,
    ...(s.shape ? [`  ~ (schema): ${s.shape.before} → ${s.shape.after}`] : []),
    ...s.added.map((p) => `  + ${propertyLabel(p.name, p)}`),
    ...s.removed.map((p) => `  - ${propertyLabel(p.name, p)}`),
    ...s.changed.flatMap((change) => propertyChange(change).map((line) => `  ${line}`)),
  ]);
  return lines;
}
