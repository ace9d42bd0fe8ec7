import {
  ConfigurationError,
  InvalidResponseError,
  OutcomeUnknownError,
  PinterestApiError,
  PinterestNetworkError,
  PinterestTimeoutError,
  ReauthorizationRequiredError,
  TokenStoreError,
} from "@pintoken/core";

/**
 * The exit codes of `pintoken`, for scripts: 0 done; 1 a usage error (or anything unexpected); 2 sign-in needed; 3
 * Pinterest answered an error; 4 Pinterest could not be reached in time (try again); 5 the profile file could not be
 * used (its permissions, damage, passphrase, lock); 130 interrupted (Ctrl+C).
 *
 * @example
 * ```ts
 * import { exitCodes } from "@pintoken/cli";
 * if (status === exitCodes.authRequired) console.error("run `pintoken login` first");
 * ```
 */
export const exitCodes = {
  ok: 0,
  usage: 1,
  authRequired: 2,
  apiError: 3,
  unreachable: 4,
  storage: 5,
  interrupted: 130,
} as const;

/** A command used wrongly: exit code 1, with what to type instead. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Nobody is signed in (or the grant is gone, or the user denied access): exit code 2. */
export class AuthRequiredError extends Error {
  override name = "AuthRequiredError";
}

/** The user pressed Ctrl+C: exit code 130. */
export class InterruptedError extends Error {
  override name = "InterruptedError";
}

/** The exit code for an error a command failed with. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof InterruptedError) return exitCodes.interrupted;
  if (error instanceof AuthRequiredError || error instanceof ReauthorizationRequiredError)
    return exitCodes.authRequired;
  if (error instanceof TokenStoreError) return exitCodes.storage;
  if (
    error instanceof PinterestNetworkError ||
    error instanceof PinterestTimeoutError ||
    error instanceof OutcomeUnknownError
  )
    return exitCodes.unreachable;
  if (error instanceof PinterestApiError || error instanceof InvalidResponseError) return exitCodes.apiError;
  if (error instanceof UsageError || error instanceof ConfigurationError) return exitCodes.usage;
  return exitCodes.usage;
}
