/**
 * The spec at run time: every component schema of Pinterest's corrected description and a validator for them.
 * `@pintoken/mock` validates requests with it. (The OAuth client checks token answers against shapes generated from the
 * same schemas, without this validator, so that it stays small.)
 *
 * @example
 * ```ts
 * import { schemas, validate, formatIssues } from "@pintoken/core/schema";
 * const issues = validate(schemas, "OauthAccessTokenResponse", await response.json());
 * if (issues.length) throw new Error(formatIssues(issues));
 * ```
 *
 * @module
 */
export { schemas } from "./generated/schemas.gen.ts";
export { formatIssues, type SchemaObject, type SchemaRegistry, type ValidationIssue, validate } from "./validate.ts";
