import type { SchemaObject } from "@pintoken/core/schema";
import { operations, securitySchemes } from "./generated/operations.gen.ts";

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
    readonly schema?: SchemaObject;
  }[];
  readonly requestBody?: {
    readonly required: boolean;
    readonly contentTypes: readonly string[];
    readonly schema?: string;
  };
  readonly responses: {
    readonly [status: string]: { readonly description: string; readonly schema?: string; readonly example?: unknown };
  };
}

/** A security scheme as the mock reads it. */
export interface SecuritySchemeDescription {
  readonly type: string;
  readonly scheme?: string;
  /** OAuth2 schemes: the flows whose tokens the scheme accepts, e.g. `["authorizationCode"]`. */
  readonly flows?: readonly string[];
}

/**
 * The operationId of an operation in Pinterest's description, e.g. `"oauth/token"`.
 *
 * @example
 * ```ts
 * import type { OperationId } from "@pintoken/mock";
 * const id: OperationId = "user_account/get";
 * ```
 */
export type OperationId = (typeof operations)[number]["operationId"];

/** Every operation the mock serves, in spec order. */
export const mockOperations: readonly OperationDescription[] = operations;

/**
 * Every operationId the mock serves, in spec order.
 *
 * @example
 * ```ts
 * import { operationIds } from "@pintoken/mock";
 * operationIds; // ["oauth/token", "token/revoke", "user_account/get"]
 * ```
 */
export const operationIds: readonly OperationId[] = operations.map((op) => op.operationId);

const schemes: { readonly [name: string]: SecuritySchemeDescription } = securitySchemes;

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
