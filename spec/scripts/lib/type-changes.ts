import { type Doc, resolveRef } from "./document.ts";
import { operations } from "./filter.ts";

type Schema = Record<string, unknown>;

/** A property as the generated types see it: its type (in OpenAPI terms) and whether it is required. */
export interface PropertyShape {
  type: string;
  required: boolean;
}

/** How one schema that exists before and after changed. */
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

/** A compact, TypeScript-like rendering of a schema's type, e.g. `"A" | "B"`, `integer | null`, `Account[]`. */
export function typeText(schema: unknown, depth = 0): string {
  if (schema === null || typeof schema !== "object") return "unknown";
  const s = schema as Schema;
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

/** The shape of a component schema itself, and its properties gathered from it and its allOf members. */
function shapeOf(doc: Doc, schema: Schema): { shape: string; properties: Map<string, PropertyShape> } {
  const properties = new Map<string, PropertyShape>();
  const required = new Set<string>();
  const gather = (part: Schema, seen: Set<Schema>) => {
    if (seen.has(part)) return;
    seen.add(part);
    for (const name of (part.required ?? []) as string[]) required.add(name);
    for (const [name, sub] of Object.entries((part.properties ?? {}) as Record<string, unknown>)) {
      if (!properties.has(name)) properties.set(name, { type: typeText(sub, 1), required: false });
    }
    for (const member of (part.allOf ?? []) as Schema[]) gather(resolve(doc, member), seen);
  };
  gather(schema, new Set());
  for (const [name, property] of properties) property.required = required.has(name);
  const shape =
    Array.isArray(schema.oneOf) || Array.isArray(schema.anyOf)
      ? `${schema.oneOf ? "oneOf" : "anyOf"}: ${typeText({ oneOf: schema.oneOf ?? schema.anyOf })}`
      : properties.size > 0 || schema.type === "object" || Array.isArray(schema.allOf)
        ? "object"
        : typeText(schema);
  return { shape, properties };
}

function compareSchema(name: string, before: Doc, after: Doc): SchemaChange | undefined {
  const a = shapeOf(before, schemasOf(before)[name] as Schema);
  const b = shapeOf(after, schemasOf(after)[name] as Schema);
  const change: SchemaChange = { schema: name, added: [], removed: [], changed: [] };
  if (a.shape !== b.shape) change.shape = { before: a.shape, after: b.shape };
  for (const [property, shape] of b.properties) {
    const old = a.properties.get(property);
    if (!old) change.added.push({ name: property, ...shape });
    else if (old.type !== shape.type || old.required !== shape.required) {
      change.changed.push({ name: property, before: old, after: shape });
    }
  }
  for (const [property, shape] of a.properties) {
    if (!b.properties.has(property)) change.removed.push({ name: property, ...shape });
  }
  return change.shape || change.added.length || change.removed.length || change.changed.length ? change : undefined;
}

type Operation = {
  operationId?: string;
  parameters?: Schema[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
};

/** What the generated types say about an operation: one entry per parameter, request body and response. */
function operationFacts(doc: Doc, op: Operation): Map<string, string> {
  const facts = new Map<string, string>();
  for (const raw of op.parameters ?? []) {
    const p = resolve(doc, raw);
    facts.set(
      `parameter ${p.name} (${p.in})`,
      `${p.required === true ? "required" : "optional"} ${typeText(p.schema)}`,
    );
  }
  if (op.requestBody) {
    const body = resolve(doc, op.requestBody as Schema) as Operation["requestBody"] & Schema;
    for (const [type, media] of Object.entries(body.content ?? {})) {
      facts.set(
        `request body ${type}`,
        `${body.required === true ? "required" : "optional"} ${typeText(media.schema)}`,
      );
    }
  }
  for (const [status, response] of Object.entries(op.responses ?? {})) {
    const content = Object.entries(resolve(doc, response as Schema).content ?? {}) as [string, { schema?: unknown }][];
    facts.set(
      `response ${status}`,
      content.length ? content.map(([type, media]) => `${type} ${typeText(media.schema)}`).join(", ") : "no body",
    );
  }
  return facts;
}

/** Compares two corrected descriptions (before: `undefined` when there was none). */
export function compareSpecs(before: Doc | undefined, after: Doc): TypeChanges {
  const previous = before ?? {};
  const key = (o: { method: string; path: string }) => `${o.method.toUpperCase()} ${o.path}`;
  const opsBefore = new Map(operations(previous).map((o) => [key(o), o]));
  const opsAfter = new Map(operations(after).map((o) => [key(o), o]));
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
    const b = operationFacts(after, o.operation as Operation);
    const details: string[] = [];
    for (const [fact, value] of b) {
      const was = a.get(fact);
      if (was === undefined) details.push(`+ ${fact}: ${value}`);
      else if (was !== value) details.push(`~ ${fact}: ${was} → ${value}`);
    }
    for (const [fact, value] of a) if (!b.has(fact)) details.push(`- ${fact}: ${value}`);
    if ((old.operation as Operation).operationId !== (o.operation as Operation).operationId) {
      details.push(`~ operationId: ${old.operation.operationId ?? "(none)"} → ${o.operation.operationId ?? "(none)"}`);
    }
    if (details.length) operationsChanged.push({ operation: name(o), details });
  }
  const schemasBefore = schemasOf(before);
  const schemasAfter = schemasOf(after);
  return {
    operationsAdded: [...opsAfter].filter(([k]) => !opsBefore.has(k)).map(([, o]) => name(o)),
    operationsRemoved: [...opsBefore].filter(([k]) => !opsAfter.has(k)).map(([, o]) => name(o)),
    operationsChanged,
    schemasAdded: Object.keys(schemasAfter).filter((n) => !(n in schemasBefore)),
    schemasRemoved: Object.keys(schemasBefore).filter((n) => !(n in schemasAfter)),
    schemasChanged: Object.keys(schemasAfter)
      .filter((n) => n in schemasBefore)
      .flatMap((n) => compareSchema(n, previous, after) ?? []),
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
const propertyLabel = (name: string, p: PropertyShape) => `${name}${p.required ? "" : "?"}: ${p.type}`;

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
    ...s.changed.flatMap(({ name, before, after }) => [
      ...(before.type !== after.type ? [`  ~ ${name}: ${before.type} → ${after.type}`] : []),
      ...(before.required !== after.required
        ? [`  ~ ${name}: ${before.required ? "required" : "optional"} → ${after.required ? "required" : "optional"}`]
        : []),
    ]),
  ]);
  return lines;
}
