import { join } from "node:path";
import { tsHeader } from "./codegen-core.ts";
import { type Doc, resolveRef } from "./document.ts";
import { operations } from "./filter.ts";
import type { GeneratedFile } from "./generated.ts";
import { pruneSchema } from "./validation-schema.ts";

type Schema = Record<string, unknown>;
/** The methods the mock serves. */
const methods = new Set(["get", "put", "post", "delete", "patch"]);

const refName = (schema: Schema | undefined) =>
  typeof schema?.$ref === "string" ? schema.$ref.split("/").pop() : undefined;

/** A spec-valid example value for a schema: its `example` or `default`, else its first enum value, else a typed placeholder. */
export function sample(doc: Doc, input: Schema | undefined, depth = 0): unknown {
  const schema = resolveRef(doc, input);
  if (!schema || depth > 8) return undefined;
  if ("example" in schema) return schema.example;
  if ("default" in schema) return schema.default;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (Array.isArray(schema.oneOf)) return sample(doc, schema.oneOf[0] as Schema, depth + 1);
  if (Array.isArray(schema.anyOf)) return sample(doc, schema.anyOf[0] as Schema, depth + 1);
  const out: Record<string, unknown> = {};
  let isObject = schema.type === "object" || "properties" in schema;
  for (const part of (schema.allOf ?? []) as Schema[]) {
    const value = sample(doc, part, depth + 1);
    if (value && typeof value === "object" && !Array.isArray(value)) {
      Object.assign(out, value);
      isObject = true;
    }
  }
  if (isObject) {
    for (const [name, sub] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
      const value = sample(doc, sub, depth + 1);
      if (value !== undefined) out[name] = value;
    }
    return out;
  }
  switch (schema.type) {
    case "string":
      return "string";
    case "integer":
    case "number":
      return 0;
    case "boolean":
      return false;
    case "array":
      return [sample(doc, schema.items as Schema, depth + 1)].filter((v) => v !== undefined);
    default:
      return undefined;
  }
}

/** Describes every operation (method, path, security, request and responses) for the mock's handlers. */
export function describeOperations(doc: Doc) {
  return operations(doc)
    .filter(({ method }) => methods.has(method))
    .map(({ method, path, operation }) => {
      const op = operation as Schema;
      const body = op.requestBody as { required?: boolean; content?: Record<string, { schema?: Schema }> } | undefined;
      const parameters = ((op.parameters ?? []) as Schema[]).map((p) => {
        const parameter = resolveRef(doc, p);
        if (!parameter) throw new Error(`${method.toUpperCase()} ${path}: parameter ${String(p.$ref)} points nowhere.`);
        return parameter;
      });
      const responses: Record<string, unknown> = {};
      for (const [status, response] of Object.entries((op.responses ?? {}) as Record<string, Schema>)) {
        const media = (response.content as Record<string, { schema?: Schema; example?: unknown }> | undefined)?.[
          "application/json"
        ];
        responses[status] = {
          description: response.description,
          ...(media?.schema ? { schema: refName(media.schema) } : {}),
          ...(media ? { example: media.example ?? sample(doc, media.schema) } : {}),
        };
      }
      return {
        operationId: op.operationId,
        method: method.toUpperCase(),
        path,
        security: op.security ?? [],
        parameters: parameters.map((p) => ({
          name: p.name,
          in: p.in,
          required: p.required === true,
          // What the mock validates with: the validation keywords, `$ref`s as component names (like schemas.gen.ts).
          ...(p.schema ? { schema: pruneSchema(p.schema) } : {}),
        })),
        ...(body
          ? {
              requestBody: {
                required: body.required === true,
                contentTypes: Object.keys(body.content ?? {}),
                schema: refName(Object.values(body.content ?? {})[0]?.schema),
              },
            }
          : {}),
        responses,
      };
    });
}

/** Generates packages/mock/src/generated/*.gen.ts from the corrected document. */
export function generateMock(doc: Doc, outDir: string): GeneratedFile[] {
  const schemes = ((doc.components as Doc | undefined)?.securitySchemes ?? {}) as Record<string, Schema>;
  const securitySchemes = Object.fromEntries(
    Object.entries(schemes).map(([name, s]) => [
      name,
      s.type === "http"
        ? { type: "http", scheme: s.scheme }
        : s.type === "oauth2"
          ? { type: "oauth2", flows: Object.keys((s.flows ?? {}) as object) }
          : { type: s.type },
    ]),
  );
  return [
    {
      path: join(outDir, "operations.gen.ts"),
      content: `${tsHeader("Every operation of the Pinterest description, with spec-valid example responses, for the mock.")}
/** How each security scheme authenticates a request. */
export const securitySchemes = ${JSON.stringify(securitySchemes, null, 2)} as const;

/** Every operation: method, path, security, parameters, request body and responses (with an example body each). */
export const operations = ${JSON.stringify(describeOperations(doc), null, 2)} as const;
`,
    },
  ];
}
