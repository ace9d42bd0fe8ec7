import type { TokenManager } from "@pintoken/core";
import type { RequestSession } from "./session.ts";

/**
 * One request's session as a `@pintoken/core` `TokenManager`, for core's authorized fetch (the bound API client):
 * each call opens the session (once), runs on it, then `settle`s it (writes the cookie where that is possible).
 */
export function requestTokenManager(
  open: () => Promise<RequestSession>,
  apiBaseUrl: string,
  settle: (session: RequestSession) => Promise<void>,
): TokenManager {
  const run = async <T>(work: (session: RequestSession) => Promise<T>): Promise<T> => {
    const session = await open();
    try {
      return await work(session);
    } finally {
      await settle(session);
    }
  };
  return {
    key: "session",
    apiBaseUrl,
    getTokenSet: (options = {}) => run((session) => session.tokenSet({ signal: options.signal })),
    getAccessToken: async (options = {}) =>
      (await run((session) => session.tokenSet({ signal: options.signal }))).accessToken,
    peek: () => run((session) => session.peek()),
    refresh: (options = {}) =>
      run((session) => session.refresh({ ifAccessToken: options.ifAccessToken, signal: options.signal })),
    save: (tokenSet) => run((session) => session.signIn(tokenSet)),
    async revoke(options = {}) {
      const { error } = await run((session) => session.signOut(options.signal));
      if (error !== undefined) throw error;
    },
  };
}
