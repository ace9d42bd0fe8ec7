import { declaredResponse, successStatus } from "../operations.ts";
import type { Endpoint } from "./endpoint.ts";

/**
 * For operations the mock has no logic for (e.g. after `pnpm spec:update --all`): once security and request checks
 * pass, answer the spec's success status with its example body.
 */
export const specExample: Endpoint = (context) => {
  const status = successStatus(context.op);
  const declared = declaredResponse(context.op, status);
  if (declared?.example === undefined) return { kind: "empty", status };
  return { kind: "json", status, body: declared.example };
};
