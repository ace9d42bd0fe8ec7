import { createPinterestOAuth, type PinterestOAuth } from "@pintoken/core";
import { redactingLogger } from "./http/failures.ts";
import type { AuthConfig, PinterestAuthLogger } from "./options.ts";
import { createSealer, type Sealer } from "./session/sealer.ts";
import { Sessions } from "./session/sessions.ts";

/** Everything the route handler, the proxy helper and the server helpers share for one `createPinterestAuth()`. */
export interface AuthCore {
  readonly config: AuthConfig;
  readonly oauth: PinterestOAuth;
  readonly sealer: Sealer;
  readonly sessions: Sessions;
  /** The configured logger, behind a filter that removes tokens and secrets. */
  readonly logger: PinterestAuthLogger;
  /** States already used on a callback in this process (until they expire), so that none is accepted twice. */
  readonly usedStates: Map<string, number>;
}

/** The HTTP Basic credentials as sent to Pinterest: an upstream that echoes them must not put them in a log. */
function basicCredentials({ clientId, clientSecret }: AuthConfig): string {
  try {
    return btoa(`${clientId}:${clientSecret}`);
  } catch {
    return ""; // not Latin-1: core sends it UTF-8 encoded, and the secret itself is redacted anyway
  }
}

export function createAuthCore(config: AuthConfig): AuthCore {
  const oauth = createPinterestOAuth({
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    redirectUri: config.redirectUri,
    baseUrl: config.baseUrl,
    authorizationEndpoint: config.authorizationEndpoint,
    fetch: config.fetch,
    timeoutMs: config.timeoutMs,
    retry: config.retry,
    continuousRefresh: config.continuousRefresh,
    clock: config.clock,
  });
  const sealer = createSealer(config.secrets, config.clock);
  const logger = redactingLogger(config.logger, [config.clientSecret, basicCredentials(config), ...config.secrets]);
  return {
    config,
    oauth,
    sealer,
    sessions: new Sessions(config, oauth, sealer, logger),
    logger,
    usedStates: new Map(),
  };
}
