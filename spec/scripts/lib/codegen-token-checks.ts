/**
 * The shapes @pintoken/core checks token answers against, flattened from the spec's schemas at generation time:
 * `OauthAccessTokenResponse` (a `oneOf` picked by its `response_type` discriminator) and `Error`. Each becomes the
 * type of every field it declares and the fields each variant requires, so core's check is a loop over two small
 * tables instead of a schema walk (and the generic validator stays out of the OAuth client's bundle).
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
    `${where}: ${what} is not supported by core's token response check. Extend spec/scripts/lib/codegen-token-checks.ts and packages/core/src/token-check.ts, or change spec/overlay.yaml.`,
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
 * `OauthAccessTokenResponse` as `{ tag, required, variants, fields }`: every body requires what all variants require
 * (`required`), the variant named by the discriminator requires its own fields besides (`variants`), and a body
 * without the discriminator requires no more (the spec's `oneOf` then accepts any variant that matches). A field is
 * checked against its type unless the tagged variant leaves it out (`undeclared`: the spec allows it there with any
 * type, and core ignores it); without the discriminator, wherever any variant declares it.
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
  const fields = new Map<string, FieldType>();
  const variants: Record<string, string[]> = {};
  const declared: Record<string, string[]> = {};
  for (const [value, ref] of mapping) {
    const flat = flatten(schemas, { $ref: ref }, where);
    const allowed = flat.enums.get(tag);
    if (allowed && (allowed.length !== 1 || allowed[0] !== value))
      throw unsupported(ref, `a ${tag} enum other than [${JSON.stringify(value)}]`);
    for (const name of flat.enums.keys()) if (name !== tag) throw unsupported(ref, `an enum on ${name}`);
    for (const [name, type] of flat.fields) {
      if (name === tag) continue;
      const known = fields.get(name);
      if (known !== undefined && known !== type) throw unsupported(ref, `${name} declared as ${known} and as ${type}`);
      fields.set(name, type);
    }
    variants[value] = flat.required.filter((name) => name !== tag);
    declared[value] = [...flat.fields.keys()];
  }
  const all = Object.values(variants);
  const required = all[0]?.filter((name) => all.every((list) => list.includes(name))) ?? [];
  const undeclared: Record<string, string[]> = {};
  for (const [value, list] of Object.entries(variants)) {
    variants[value] = list.filter((name) => !required.includes(name));
    const left = [...fields.keys()].filter((name) => !declared[value]?.includes(name));
    if (left.length) undeclared[value] = left;
  }
  return { tag, required, variants, undeclared, fields: Object.fromEntries(fields) };
}

function errorShape(schemas: Record<string, Schema>) {
  const flat = flatten(schemas, { $ref: "Error" }, "Error");
  if (flat.enums.size) throw unsupported("Error", "an enum");
  return { required: flat.required, fields: Object.fromEntries(flat.fields) };
}

/** The source of packages/core/src/generated/token-checks.gen.ts (after the header). */
export function tokenChecksModule(schemas: Record<string, Schema>): string {
  const json = (value: unknown) => JSON.stringify(value, null, 2);
  return `import type { Shape, TaggedShape } from "../token-check.ts";

/**
 * OauthAccessTokenResponse: the fields every body requires, those each \`response_type\` requires besides, the
 * fields each does not declare (not type-checked in it), and the type of every field any variant declares.
 */
export const tokenResponseShape: TaggedShape = ${json(tokenResponseShape(schemas))};

/** Error: Pinterest's \`{ code, message }\` error body. */
export const errorShape: Shape = ${json(errorShape(schemas))};
`;
}
