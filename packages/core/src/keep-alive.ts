/**
 * Keep-alive for fleets of connected Pinterest accounts: a continuous refresh token dies 60 days after its last
 * refresh, so every account nobody used for that long would have to be connected again by its owner.
 * `createKeepAlive()` finds the accounts about to lapse through the store's `due()` listing and refreshes each once
 * through a token manager (locks, compare-and-set and the never-lose guarantees hold); run it as a one-shot job, or
 * from a cron route made by `createKeepAliveRoute()`. Server-side: its own entry, so apps that do not use it do not
 * bundle it.
 *
 * @example
 * ```ts
 * import { createPinterestOAuth } from "@pintoken/core";
 * import { createKeepAlive } from "@pintoken/core/keep-alive";
 *
 * const summary = await createKeepAlive({ oauth: createPinterestOAuth({ clientId, clientSecret }), store }).run();
 * console.info(`${summary.refreshed} refreshed, ${summary.reauthorizationRequired} must reconnect`);
 * ```
 *
 * @module
 */

export type { KeepAliveOutcome } from "./keep-alive-account.ts";
export { createKeepAliveRoute, type KeepAliveRouteOptions } from "./keep-alive-route.ts";
export {
  createKeepAlive,
  type KeepAlive,
  type KeepAliveEvent,
  type KeepAliveOptions,
  type KeepAliveRunOptions,
  type KeepAliveSummary,
} from "./keep-alive-run.ts";
export { createRateGate, type RateGate } from "./rate-gate.ts";
