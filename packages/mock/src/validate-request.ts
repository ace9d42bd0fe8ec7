import { firstValues, type IncomingRequest, repeatedNames } from "./incoming-request.ts";
import { type OperationDescription, specSchemas as schemas } from "./operations.ts";
import { invalidParameters, unsupportedMediaType } from "./pinterest-errors.ts";
import type { Reply } from "./reply.ts";
import { formatIssues, type SchemaObject, validate } from "./validate.ts";

/** A request's inputs once they passed the spec: the body with its declared types, and parameters by name. */
export interface RequestInput {
  readonly body: Readonly<Record<string, unknown>> | undefined;
  readonly params: Readonly<Record<string, unknown>>;
}

function resolve(schema: SchemaObject | string): SchemaObject | undefined {
  const name = typeof schema === "string" ? schema : schema.$ref;
  if (name === undefined) return schema as SchemaObject;
  const found = schemas[name];
  return found && found.$ref !== undefined ? resolve(found) : found;
}

/** Every property a schema declares anywhere (own properties, allOf, oneOf/anyOf branches, discriminator targets). */
function propertySchemas(
  schema: SchemaObject | string,
  out = new Map<string, SchemaObject[]>(),
  seen = new Set<SchemaObject>(),
) {
  const resolved = resolve(schema);
  if (!resolved || seen.has(resolved)) return out;
  seen.add(resolved);
  for (const [name, property] of Object.entries(resolved.properties ?? {})) {
    const found = resolve(property);
    if (found) out.set(name, [...(out.get(name) ?? []), found]);
  }
  for (const part of [...(resolved.allOf ?? []), ...(resolved.oneOf ?? []), ...(resolved.anyOf ?? [])]) {
    propertySchemas(part, out, seen);
  }
  for (const target of Object.values(resolved.discriminator?.mapping ?? {})) {
    propertySchemas(target.replace("#/components/schemas/", ""), out, seen);
  }
  return out;
}

/**
 * Turns a text value into the type its schema declares, as a server reading a form or query string does:
 * `"true"`/`"false"` (any case, e.g. Python's `True`) for booleans, decimal numbers for integers and numbers.
 * A value that does not convert stays a string, so the validator reports it.
 */
function coerceText(value: string, types: ReadonlySet<string> | undefined): unknown {
  if (!types || types.has("string")) return value;
  if (types.has("boolean") && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
  if ((types.has("integer") || types.has("number")) && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return value;
}

/** Fields read from text (a form, a deepObject query parameter): a value, or the members of a nested object. */
type TextFields = { readonly [name: string]: string | TextFields };

/**
 * A form body (or a deepObject parameter) as an object whose values have the types its schema declares; fields it
 * does not declare stay text.
 */
function coerceForm(
  schemas: SchemaObject | string | readonly SchemaObject[],
  fields: TextFields,
): Record<string, unknown> {
  const properties = new Map<string, SchemaObject[]>();
  for (const schema of Array.isArray(schemas) ? schemas : [schemas]) propertySchemas(schema, properties);
  return Object.fromEntries(
    Object.entries(fields).map(([name, value]) => {
      const declared = properties.get(name) ?? [];
      if (typeof value !== "string") return [name, coerceForm(declared, value)];
      const types = new Set(declared.flatMap((schema) => (schema.type === undefined ? [] : [schema.type])));
      return [name, coerceText(value, types.size ? types : undefined)];
    }),
  );
}

type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reply: Reply };

function describe(op: OperationDescription): string {
  return `${op.method} ${op.path}`;
}

function readBody(op: OperationDescription, request: IncomingRequest): Checked<Record<string, unknown> | undefined> {
  const declared = op.requestBody;
  if (!declared) return { ok: true, value: undefined };
  const accepted = declared.contentTypes.join(" or ");
  if (request.text === "" && request.contentType === undefined) {
    if (!declared.required) return { ok: true, value: undefined };
    return { ok: false, reply: invalidParameters(`${describe(op)} needs a request body: send ${accepted}.`) };
  }
  if (request.contentType === undefined || !declared.contentTypes.includes(request.contentType)) {
    const sent = request.contentType === undefined ? "no Content-Type" : `Content-Type ${request.contentType}`;
    return { ok: false, reply: unsupportedMediaType(`${describe(op)} does not accept ${sent}: send ${accepted}.`) };
  }
  let value: unknown;
  if (request.form) {
    // ASSUMED: a repeated field is refused, as RFC 6749 §3.2 says parameters must not repeat.
    const repeated = repeatedNames(request.form);
    if (repeated.length > 0) {
      return {
        ok: false,
        reply: invalidParameters(`Form field ${repeated.join(", ")} is sent more than once: send each field once.`),
      };
    }
    const fields = firstValues(request.form);
    value = declared.schema ? coerceForm(declared.schema, fields) : fields;
  } else if (/^application\/(.+\+)?json$/.test(request.contentType)) {
    try {
      value = JSON.parse(request.text);
    } catch {
      return { ok: false, reply: invalidParameters(`The body of ${describe(op)} is not valid JSON.`) };
    }
  } else {
    // Other declared types (multipart, binary) are accepted as sent: the mock does not parse them.
    return { ok: true, value: undefined };
  }
  if (declared.schema) {
    const issues = validate(schemas, declared.schema, value);
    if (issues.length > 0) {
      return {
        ok: false,
        reply: invalidParameters(`Invalid request body for ${describe(op)}: ${formatIssues(issues)}.`),
      };
    }
  }
  return { ok: true, value: value as Record<string, unknown> };
}

function readParams(
  op: OperationDescription,
  request: IncomingRequest,
  pathParams: Readonly<Record<string, string | readonly string[] | undefined>>,
): Checked<Record<string, unknown>> {
  const params: Record<string, unknown> = {};
  for (const param of op.parameters) {
    if (param.in === "query" && param.style === "deepObject") {
      // `name[key]=value` for each member of an object parameter.
      const prefix = `${param.name}[`;
      const fields: Record<string, unknown> = {};
      for (const [key, value] of request.url.searchParams) {
        if (!key.startsWith(prefix) || !key.endsWith("]")) continue;
        // name[a][b]=value: the member b of the member a.
        const path = key.slice(prefix.length, -1).split("][");
        let node = fields;
        for (const segment of path.slice(0, -1)) {
          node[segment] ??= {};
          node = node[segment] as Record<string, unknown>;
        }
        node[path.at(-1) as string] ??= value;
      }
      if (Object.keys(fields).length === 0) {
        if (!param.required) continue;
        return { ok: false, reply: invalidParameters(`Missing required query parameter "${param.name}[…]".`) };
      }
      const value = coerceForm(param.schema ?? {}, fields as TextFields);
      const issues = validate(schemas, param.schema ?? {}, value);
      if (issues.length > 0) {
        return {
          ok: false,
          reply: invalidParameters(`Invalid query parameter "${param.name}": ${formatIssues(issues)}.`),
        };
      }
      params[param.name] = value;
      continue;
    }
    let raw: readonly string[];
    if (param.in === "query") raw = request.url.searchParams.getAll(param.name);
    else if (param.in === "header")
      raw = request.headers.has(param.name) ? [request.headers.get(param.name) as string] : [];
    else if (param.in === "path") raw = [pathParams[param.name] ?? []].flat();
    else continue;
    if (raw.length === 0) {
      if (!param.required) continue;
      return { ok: false, reply: invalidParameters(`Missing required ${param.in} parameter "${param.name}".`) };
    }
    const schema = param.schema ?? {};
    const isArray = schema.type === "array";
    const itemTypes = new Set([(isArray ? schema.items?.type : schema.type) ?? "string"]);
    if (!isArray && raw.length > 1) {
      return {
        ok: false,
        reply: invalidParameters(`The ${param.in} parameter "${param.name}" is sent more than once: send it once.`),
      };
    }
    const value = isArray ? raw.map((item) => coerceText(item, itemTypes)) : coerceText(raw[0] as string, itemTypes);
    const issues = validate(schemas, schema, value);
    if (issues.length > 0) {
      const problems = issues.map((issue) => `${issue.path ? `${issue.path} ` : ""}${issue.message}`).join("; ");
      return { ok: false, reply: invalidParameters(`Invalid ${param.in} parameter "${param.name}": ${problems}.`) };
    }
    params[param.name] = value;
  }
  return { ok: true, value: params };
}

/**
 * Checks a request as Pinterest would, from the spec: the body's content type is one the operation declares, the body
 * matches its schema (form fields converted to the declared types first), and every parameter matches its schema.
 * Fails with 415 or 400 and a message that says what was wrong.
 */
export function validateRequest(
  op: OperationDescription,
  request: IncomingRequest,
  pathParams: Readonly<Record<string, string | readonly string[] | undefined>>,
): { readonly ok: true; readonly input: RequestInput } | { readonly ok: false; readonly reply: Reply } {
  const body = readBody(op, request);
  if (!body.ok) return body;
  const params = readParams(op, request, pathParams);
  if (!params.ok) return params;
  return { ok: true, input: { body: body.value, params: params.value } };
}
