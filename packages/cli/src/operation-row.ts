/** The shape of the generated operation list (src/generated/operations.gen.ts). */

/** Details of one operation, as generated. */
export interface OperationDetails {
  /** Its query parameters, by name. */
  readonly query: readonly string[];
  /** The query parameters it requires. */
  readonly requiredQuery?: readonly string[];
  /** The query parameters that take a list (`-f name=a -f name=b`). */
  readonly arrays?: readonly string[];
  /** The content types of its request body, when it takes one. */
  readonly body?: readonly string[];
  /** The scopes a user's token needs for it. */
  readonly scopes?: readonly string[];
  /** A `GET` that Pinterest pages with a `bookmark`. */
  readonly paged?: true;
}

/** One generated row: [method, path template, operationId, details]. */
export type OperationRow = readonly [method: string, path: string, operationId: string, details: OperationDetails];
