/**
 * The shapes @pintoken/core checks token answers against, flattened from the spec's schemas at generation time:
 * `OauthAccessTokenResponse` (a `oneOf` picked by its `response_type` discriminator) and `Error`. Each becomes one
 * entry per field: its type, and whether each variant requires, declares or leaves it out; so core's check is a loop
 * over two small tables instead of a schema walk (and the generic validator stays out of the OAuth client's bundle).
 *
 * Only what these schemas use is supported: objects (with `allOf` parts) of string, integer, number and boolean
 * fields. Anything else fails generation with a message saying what to extend, never a check that passes wrongly.
 */

type Schema = Record<string, unknown>;
type FieldType = "string" | "integer" | "number" | "boolean";

/** An object schema flattened: the type of each field it declares, and the fields it requires. */
interface Flat {
  fields: Map<string, FieldType>;
  required: string[];
  /** Enum values of fields that have one (only the discriminator may). */
  enums: Map<string, unknown[]>;
}

const fieldTypes = new Set(["string", "integer", "number", "boolean"]);
const ignored = new Set(["description", "example", "examples", "title", "default", "deprecated", "readOnly"]);
const unsupported = (where: string, what: string) =>
  new Error(
    `${where}: ${what} is not supported by core's token response check. Extend spec/scripts/lib/codegen-token-checks.ts and packages/core/src/token-check.ts, or change packages/codegen/overlay.yaml.`,
  );

function resolve(schemas: Record<string, Schema>, schema: Schema, where: string): [Schema, string] {
  const ref = schema.$ref;
  if (ref === undefined) return [schema, where];
  const name = String(ref).replace("#/components/schemas/", "");
  const target = schemas[name];
  if (!target) throw new Error(`${where}: $ref to unknown schema ${JSON.stringify(name)}.`);
  return resolve(schemas, target, name);
}

function flatten(schemas: Record<string, Schema>, input: Schema, from: string, into?: Flat): Flat {
  const flat: Flat = into ?? { fields: new Map(), required: [], enums: new Map() };
  const [schema, where] = resolve(schemas, input, from);
  for (const key of Object.keys(schema)) {
    if (!["type", "properties", "required", "allOf"].includes(key) && !ignored.has(key))
      throw unsupported(where, `the keyword ${JSON.stringify(key)}`);
  }
  if (schema.type !== undefined && schema.type !== "object")
    throw unsupported(where, `type ${JSON.stringify(schema.type)}`);
  for (const [name, input] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
    const [field, at] = resolve(schemas, input, `${where}.${name}`);
    for (const key of Object.keys(field)) {
      if (key !== "type" && key !== "enum" && !ignored.has(key))
        throw unsupported(at, `the keyword ${JSON.stringify(key)}`);
    }
    const type = field.type as FieldType;
    if (!fieldTypes.has(type)) throw unsupported(at, `a field of type ${JSON.stringify(field.type)}`);
    const known = flat.fields.get(name);
    if (known !== undefined && known !== type) throw unsupported(at, `a field declared as ${known} and as ${type}`);
    flat.fields.set(name, type);
    if (field.enum) flat.enums.set(name, field.enum as unknown[]);
  }
  for (const name of (schema.required ?? []) as string[]) if (!flat.required.includes(name)) flat.required.push(name);
  for (const part of (schema.allOf ?? []) as Schema[]) flatten(schemas, part, where, flat);
  return flat;
}

/**
 * `OauthAccessTokenResponse` as `{ tag, variants, fields }`: each field maps to its type and a letter per variant
 * (in `variants` order): `R` when that variant requires it, `o` when it declares it as optional, `-` when it leaves it
 * out (the spec allows it there with any type, and core ignores it). A body without the discriminator requires what
 * every variant requires (the spec's `oneOf` then accepts any variant that matches) and types a field wherever any
 * variant declares it. Fields every variant requires come first, in the spec's order.
 */
function tokenResponseShape(schemas: Record<string, Schema>) {
  const where = "OauthAccessTokenResponse";
  const root = schemas[where];
  if (!root) throw new Error(`spec/openapi.yaml has no ${where} schema.`);
  const discriminator = root.discriminator as { propertyName?: string; mapping?: Record<string, string> } | undefined;
  const tag = discriminator?.propertyName;
  const mapping = Object.entries(discriminator?.mapping ?? {});
  if (!tag || !mapping.length || !Array.isArray(root.oneOf))
    throw unsupported(where, "anything but a oneOf with a discriminator mapping");
  const types = new Map<string, FieldType>();
  const flats: Flat[] = [];
  for (const [value, ref] of mapping) {
    const flat = flatten(schemas, { $ref: ref }, where);
    const allowed = flat.enums.get(tag);
    if (allowed && (allowed.length !== 1 || allowed[0] !== value))
      throw unsupported(ref, `a ${tag} enum other than [${JSON.stringify(value)}]`);
    for (const name of flat.enums.keys()) if (name !== tag) throw unsupported(ref, `an enum on ${name}`);
    for (const [name, type] of flat.fields) {
      if (name === tag) continue;
      const known = types.get(name);
      if (known !== undefined && known !== type) throw unsupported(ref, `${name} declared as ${known} and as ${type}`);
      types.set(name, type);
    }
    flats.push(flat);
  }
  const common = flats[0]?.required.filter((name) => name !== tag && flats.every((f) => f.required.includes(name)));
  const names = [...new Set([...(common ?? []), ...types.keys()])];
  const fields = names.map((name) => {
    const modes = flats.map((f) => (f.required.includes(name) ? "R" : f.fields.has(name) ? "o" : "-"));
    return [name, [types.get(name), modes.join("")]];
  });
  return { tag, variants: mapping.map(([value]) => value), fields: Object.fromEntries(fields) };
}

function errorShape(schemas: Record<string, Schema>) {
  const flat = flatten(schemas, { $ref: "Error" }, "Error");
  if (flat.enums.size) throw unsupported("Error", "an enum");
  const fields = [...flat.fields].map(([name, type]) => [name, [type, flat.required.includes(name) ? "R" : "o"]]);
  return { fields: Object.fromEntries(fields) };
}

/** The source of packages/core/src/generated/token-checks.gen.ts (after the header). */
export function tokenChecksModule(schemas: Record<string, Schema>): string {
  // Each field's [type, modes] on one line.
  const json = (value: unknown) =>
    JSON.stringify(value, null, 2).replace(/\[\s+("\w+"),\s+("[Ro-]+")\s+\]/g, "[$1, $2]");
  return `import type { Shape } from "../token-check.ts";

/**
 * OauthAccessTokenResponse: each field's type, and per \`response_type\` (in \`variants\` order) whether that variant
 * requires it (\`R\`), declares it as optional (\`o\`) or leaves it out (\`-\`: not type-checked there).
 */
export const tokenResponseShape: Shape = ${json(tokenResponseShape(schemas))};

/** Error: Pinterest's \`{ code, message }\` error body: each field's type, and \`R\` if required (\`o\` if not). */
export const errorShape: Shape = ${json(errorShape(schemas))};
`;
}
