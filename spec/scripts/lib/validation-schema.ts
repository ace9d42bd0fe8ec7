/** Keywords the runtime validator in @pintoken/core understands. */
const validationKeywords = new Set([
  "type",
  "properties",
  "required",
  "enum",
  "allOf",
  "oneOf",
  "anyOf",
  "discriminator",
  "nullable",
  "items",
  "pattern",
  "minLength",
  "maxLength",
  "minimum",
  "maximum",
  "$ref",
]);

/**
 * The validation keywords of a schema, as the runtime validator of @pintoken/core reads them (`SchemaObject` in
 * packages/core/src/validate.ts): documentation, examples and defaults are dropped, and a `$ref` to a component
 * schema becomes its name.
 */
export function pruneSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(pruneSchema);
  if (schema === null || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!validationKeywords.has(key)) continue;
    if (key === "properties") {
      out[key] = Object.fromEntries(Object.entries(value as object).map(([name, sub]) => [name, pruneSchema(sub)]));
    } else if (key === "discriminator") {
      const { propertyName, mapping } = value as { propertyName: string; mapping?: Record<string, string> };
      out[key] = mapping ? { propertyName, mapping } : { propertyName };
    } else if (key === "$ref") {
      out[key] = String(value).replace("#/components/schemas/", "");
    } else {
      out[key] = pruneSchema(value);
    }
  }
  return out;
}
