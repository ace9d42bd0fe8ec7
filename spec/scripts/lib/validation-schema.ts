/**
 * What the mock keeps of a schema: the keywords its validator checks (`SchemaObject` in
 * packages/mock/src/validate.ts), and those its answers are made from (examples, defaults, formats, array sizes).
 */
const mockKeywords = new Set([
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
  "minItems",
  "maxItems",
  "format",
  "example",
  "default",
  "$ref",
]);

/**
 * The keywords of a schema the mock uses (documentation is dropped), with a `$ref` to a component schema as its name.
 */
export function pruneSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(pruneSchema);
  if (schema === null || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!mockKeywords.has(key)) continue;
    if (key === "example" || key === "default" || key === "enum") out[key] = value;
    else if (key === "properties") {
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
