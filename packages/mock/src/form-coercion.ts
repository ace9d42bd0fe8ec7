import { type SchemaObject, schemas } from "@pintoken/core/schema";

function resolve(schema: SchemaObject | string): SchemaObject | undefined {
  const name = typeof schema === "string" ? schema : schema.$ref;
  if (name === undefined) return schema as SchemaObject;
  const found = (schemas as Readonly<Record<string, SchemaObject>>)[name];
  return found && found.$ref !== undefined ? resolve(found) : found;
}

/** Every property type a schema declares anywhere (own properties, allOf, oneOf/anyOf branches, discriminator targets). */
function propertyTypes(
  schema: SchemaObject | string,
  out = new Map<string, Set<string>>(),
  seen = new Set<SchemaObject>(),
) {
  const resolved = resolve(schema);
  if (!resolved || seen.has(resolved)) return out;
  seen.add(resolved);
  for (const [name, property] of Object.entries(resolved.properties ?? {})) {
    const type = resolve(property)?.type;
    if (type !== undefined) out.set(name, (out.get(name) ?? new Set()).add(type));
  }
  for (const part of [...(resolved.allOf ?? []), ...(resolved.oneOf ?? []), ...(resolved.anyOf ?? [])]) {
    propertyTypes(part, out, seen);
  }
  for (const target of Object.values(resolved.discriminator?.mapping ?? {})) {
    propertyTypes(target.replace("#/components/schemas/", ""), out, seen);
  }
  return out;
}

/**
 * Turns a text value into the type its schema declares, as a server reading a form or query string does:
 * `"true"`/`"false"` (any case, e.g. Python's `True`) for booleans, decimal numbers for integers and numbers.
 * A value that does not convert stays a string, so the validator reports it.
 */
export function coerceText(value: string, types: ReadonlySet<string> | undefined): unknown {
  if (!types || types.has("string")) return value;
  if (types.has("boolean") && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
  if ((types.has("integer") || types.has("number")) && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return value;
}

/** A form body as an object whose values have the types its schema declares (fields it does not declare stay text). */
export function coerceForm(schemaName: string, fields: Readonly<Record<string, string>>): Record<string, unknown> {
  const types = propertyTypes(schemaName);
  return Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, coerceText(value, types.get(name))]));
}
