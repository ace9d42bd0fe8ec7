import { join } from "node:path";
import { type Doc, resolveRef } from "../../../packages/codegen/src/document.ts";
import { operations } from "../../../packages/codegen/src/filter.ts";
import { tsHeader } from "./codegen-core.ts";
import type { GeneratedFile } from "./generated.ts";
import { pruneSchema } from "./validation-schema.ts";

type Schema = Record<string, unknown>;
/** The methods the mock serves. */
const methods = new Set(["get", "put", "post", "delete", "patch"]);

/** A schema as the mock refers to it: a component's name, or the schema itself (pruned). */
const schemaRef = (schema: Schema | undefined) =>
  schema === undefined
    ? undefined
    : typeof schema.$ref === "string"
      ? schema.$ref.split("/").pop()
      : pruneSchema(schema);

/** Describes every operation (method, path, security, request and responses) for the mock's handlers. */
export function describeOperations(doc: Doc) {
  return operations(doc)
    .filter(({ method }) => methods.has(method))
    .map(({ method, path, operation }) => {
      const op = operation as Schema;
      const body = resolveRef(doc, op.requestBody as Schema | undefined) as
        | { required?: boolean; content?: Record<string, { schema?: Schema }> }
        | undefined;
      const parameters = ((op.parameters ?? []) as Schema[]).map((p) => {
        const parameter = resolveRef(doc, p);
        if (!parameter) throw new Error(`${method.toUpperCase()} ${path}: parameter ${String(p.$ref)} points nowhere.`);
        return parameter;
      });
      const responses: Record<string, unknown> = {};
      for (const [status, raw] of Object.entries((op.responses ?? {}) as Record<string, Schema>)) {
        const response = resolveRef(doc, raw) ?? {};
        const media = (response.content as Record<string, { schema?: Schema; example?: unknown }> | undefined)?.[
          "application/json"
        ];
        responses[status] = {
          description: response.description,
          ...(media?.schema ? { schema: schemaRef(media.schema) } : {}),
          ...(media && media.example !== undefined ? { example: media.example } : {}),
        };
      }
      return {
        operationId: op.operationId,
        method: method.toUpperCase(),
        path,
        security: op.security ?? doc.security ?? [],
        parameters: parameters.map((p) => ({
          name: p.name,
          in: p.in,
          required: p.required === true,
          ...(p.style && p.style !== "form" && p.style !== "simple" ? { style: p.style } : {}),
          ...(p.schema ? { schema: pruneSchema(resolveRef(doc, p.schema as Schema)) } : {}),
        })),
        ...(body
          ? {
              requestBody: {
                required: body.required === true,
                contentTypes: Object.keys(body.content ?? {}),
                ...(Object.values(body.content ?? {})[0]?.schema
                  ? { schema: schemaRef(Object.values(body.content ?? {})[0]?.schema) }
                  : {}),
              },
            }
          : {}),
        responses,
      };
    });
}

/** A JSON value as a TypeScript expression that costs the compiler nothing: a string for `JSON.parse`. */
const jsonLiteral = (value: unknown) => `JSON.parse(${JSON.stringify(JSON.stringify(value))})`;

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
  const described = describeOperations(doc);
  const schemas = Object.fromEntries(
    Object.entries(((doc.components as Doc | undefined)?.schemas ?? {}) as Record<string, unknown>).map(
      ([name, schema]) => [name, pruneSchema(schema)],
    ),
  );
  return [
    {
      path: join(outDir, "operations.gen.ts"),
      content: `${tsHeader("Every operation of the Pinterest description, for the mock.")}
/** The operationId of every operation, in spec order. */
export type OperationId =
${described.map((op) => `  | ${JSON.stringify(op.operationId)}`).join("\n")};

/** How each security scheme authenticates a request. */
export const securitySchemes: unknown = ${jsonLiteral(securitySchemes)};

/**
 * Every operation: method, path, security, parameters, request body and responses (schemas as component names or
 * pruned schemas; a response's example when the spec gives one). JSON: cheaper to load and type-check than a literal.
 */
export const operations: unknown = ${jsonLiteral(described)};
`,
    },
    {
      path: join(outDir, "schemas.gen.ts"),
      content: `${tsHeader("Every component schema of the Pinterest description, for the mock's validator and answers.")}
/** Component schemas by name; \`$ref\` holds a schema name. JSON: cheaper to load and type-check than a literal. */
export const schemas: unknown = ${jsonLiteral(schemas)};
`,
    },
  ];
}
