import { type OperationId, operations, securitySchemes } from "./generated/operations.gen.ts";
import { schemas } from "./generated/schemas.gen.ts";
import type { SchemaObject, SchemaRegistry } from "./validate.ts";

/**
 * The operationId of an operation in Pinterest's description, e.g. `"oauth/token"`.
 *
 * @example
 * ```ts
 * import type { OperationId } from "@pintoken/mock";
 * const id: OperationId = "boards/list";
 * ```
 */
export type { OperationId };

/** One operation of the spec as the mock reads it (the generated data, seen through a wide type). */
export interface OperationDescription {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  /** Alternatives (any one suffices); each maps a security scheme name to the scopes it needs. */
  readonly security: readonly { readonly [scheme: string]: readonly string[] }[];
  readonly parameters: readonly {
    readonly name: string;
    readonly in: string;
    readonly required: boolean;
    /** How a query parameter is serialized, when not `form` (e.g. `deepObject`: `name[key]=value`). */
    readonly style?: string;
    readonly schema?: SchemaObject;
  }[];
  readonly requestBody?: {
    readonly required: boolean;
    readonly contentTypes: readonly string[];
    /** A component schema's name, or the schema itself. */
    readonly schema?: SchemaObject | string;
  };
  readonly responses: {
    readonly [status: string]: {
      readonly description: string;
      /** A component schema's name, or the schema itself. */
      readonly schema?: SchemaObject | string;
      /** The spec's example of the body, when it gives one. */
      readonly example?: unknown;
    };
  };
}

/** A security scheme as the mock reads it. */
export interface SecuritySchemeDescription {
  readonly type: string;
  readonly scheme?: string;
  /** OAuth2 schemes: the flows whose tokens the scheme accepts, e.g. `["authorizationCode"]`. */
  readonly flows?: readonly string[];
}

/** Every operation the mock serves, in spec order. */
export const mockOperations = operations as readonly OperationDescription[];

/**
 * Every component schema of Pinterest's corrected description, for the validator: what the mock checks requests and
 * its answers against.
 *
 * @example
 * ```ts
 * import { schemas, validate } from "@pintoken/mock";
 * const issues = validate(schemas, "Board", await response.json());
 * ```
 */
export const specSchemas = schemas as SchemaRegistry;

/**
 * Every operationId the mock serves, in spec order.
 *
 * @example
 * ```ts
 * import { operationIds } from "@pintoken/mock";
 * operationIds; // ["oauth/token", "token/revoke", "user_account/get"]
 * ```
 */
export const operationIds: readonly OperationId[] = mockOperations.map((op) => op.operationId as OperationId);

const schemes = securitySchemes as { readonly [name: string]: SecuritySchemeDescription };

/** The security scheme of that name, or undefined when the spec does not declare it. */
export function securityScheme(name: string): SecuritySchemeDescription | undefined {
  return schemes[name];
}

/** Finds an operation by id; throws a helpful error for an id the spec does not have. */
export function operation(operationId: OperationId): OperationDescription {
  const found = mockOperations.find((op) => op.operationId === operationId);
  if (!found) throw new Error(`Unknown operationId "${operationId}"; the spec has: ${operationIds.join(", ")}.`);
  return found;
}

/**
 * Orders paths as a server matches them: segment by segment, a literal segment before a `{name}` one, so that
 * `/pins/analytics` is not taken for `/pins/{pin_id}`.
 */
export function byPathPrecedence(a: { readonly path: string }, b: { readonly path: string }): number {
  const segments = (path: string) => path.split("/").map((segment) => (segment.startsWith("{") ? 1 : 0));
  const [x, y] = [segments(a.path), segments(b.path)];
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return 0;
}

/** The operation's URL as an msw path pattern under `apiBaseUrl`: `{name}` segments become `:name`. */
export function mswPath(apiBaseUrl: string, path: string): string {
  return `${apiBaseUrl.replace(/\/+$/, "")}${path.replace(/\{([^}]+)\}/g, ":$1")}`;
}

/** The first 2xx status the operation declares (what a successful call answers with). */
export function successStatus(op: OperationDescription): number {
  const status = Object.keys(op.responses)
    .filter((key) => /^2\d\d$/.test(key))
    .sort()[0];
  return status === undefined ? 200 : Number(status);
}

/** The response declared for a status, falling back to `default`. */
export function declaredResponse(op: OperationDescription, status: number) {
  return op.responses[String(status)] ?? op.responses.default;
}
