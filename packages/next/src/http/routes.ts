import {
  createState,
  InvalidResponseError,
  isTransient,
  PinterestApiError,
  type PinterestScope,
  pinterestScopes,
} from "@pintoken/core";
import type { AuthCore } from "../auth-core.ts";
import type { CallbackErrorCode, ErrorJson, LogoutJson } from "../contract.ts";
import { cookieNames, type RequestCookieJar } from "../session/cookies.ts";
import type { RequestSession } from "../session/session.ts";
import { sessionJson } from "../session/token-sets.ts";
import { describeFailure, describeForLog, type Failure, failures } from "./failures.ts";
import { safeReturnTo, withErrorCode } from "./return-to.ts";

/** What a route answers, before cookies are added: JSON or a redirect. */
export type Reply =
  | { status: number; json: unknown; headers?: Record<string, string> }
  | { status: 302; location: string };

/** What every route gets. */
export interface RouteContext {
  readonly core: AuthCore;
  readonly request: Request;
  readonly url: URL;
  readonly jar: RequestCookieJar;
  readonly session: RequestSession;
  /** The redirect URI of this app: configured, or derived from the request's origin. */
  readonly redirectUri: string;
  /** The app is served over https: its cookies are `Secure` and `__Host-` named. */
  readonly secure: boolean;
}

/** The state cookie lives as long as a user may take on Pinterest's consent page. */
const stateMaxAgeSeconds = 600;
const knownScopes: ReadonlySet<string> = new Set(pinterestScopes);

export function errorReply(failure: Failure, extra: Record<string, unknown> = {}): Reply {
  const body: ErrorJson = { error: { code: failure.code, message: failure.message } };
  return { status: failure.status, json: { ...extra, ...body } };
}

function redirect(location: string): Reply {
  return { status: 302, location };
}

/** Compares two strings in time that depends only on their lengths. */
export function timingSafeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  if (x.length !== y.length) return false;
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= (x[i] as number) ^ (y[i] as number);
  return diff === 0;
}

/** The state cookie: its name for this origin and its attributes. */
function stateCookie(ctx: RouteContext, maxAge: number) {
  return [cookieNames(ctx.core.config.cookieName, ctx.secure).state, ctx.session.attributes(maxAge)] as const;
}

/**
 * `GET /login?returnTo=/path&scopes=a,b`: a new state in a short-lived cookie, then off to Pinterest. `scopes` are
 * asked for in addition to the configured ones, which the app's own pages rely on.
 */
async function login(ctx: RouteContext): Promise<Reply> {
  const { config, oauth, sealer } = ctx.core;
  const asked = ctx.url.searchParams.get("scopes");
  let scopes: readonly PinterestScope[] = config.scopes;
  if (asked !== null) {
    const list = [...new Set(asked.split(",").map((s) => s.trim()))].filter(Boolean);
    if (list.length === 0 || list.some((scope) => !knownScopes.has(scope))) {
      return errorReply({
        status: 400,
        code: "invalid_scopes",
        message: `scopes must be a comma-separated list of Pinterest scopes, e.g. "user_accounts:read,pins:read". Known scopes: ${pinterestScopes.join(", ")}.`,
      });
    }
    scopes = [...new Set([...config.scopes, ...(list as PinterestScope[])])];
  }
  const state = createState();
  const returnTo = safeReturnTo(ctx.url.searchParams.get("returnTo")) ?? "/";
  const now = config.clock();
  const sealed = await sealer.seal(
    "state",
    { state, returnTo, redirectUri: ctx.redirectUri },
    now + stateMaxAgeSeconds * 1000,
  );
  const [name, attributes] = stateCookie(ctx, stateMaxAgeSeconds);
  ctx.jar.set(name, sealed, attributes);
  return redirect(oauth.authorizationUrl({ scopes, state, redirectUri: ctx.redirectUri }));
}

/** Marks `state` used; false when it was used before (a replayed callback). */
function firstUse(core: AuthCore, state: string): boolean {
  const now = core.config.clock();
  for (const [used, until] of core.usedStates) if (until <= now) core.usedStates.delete(used);
  if (core.usedStates.has(state)) return false;
  core.usedStates.set(state, now + stateMaxAgeSeconds * 1000);
  return true;
}

/**
 * `GET /callback?code&state`: checks the state (constant time, single use), exchanges the code, starts the session
 * and redirects to `returnTo`; any failure redirects there with `pintoken_error=<code>`, and a failed check makes
 * no token request at all.
 */
async function callback(ctx: RouteContext): Promise<Reply> {
  const { sealer, oauth, logger } = ctx.core;
  const query = ctx.url.searchParams;
  const [name, cleared] = stateCookie(ctx, 0);
  const raw = ctx.jar.get(name);
  const saved = raw === undefined ? undefined : (await sealer.unseal("state", raw))?.claims;
  if (raw !== undefined) ctx.jar.set(name, "", cleared);
  const returnTo = safeReturnTo(saved?.returnTo as string | undefined) ?? "/";
  const fail = (code: CallbackErrorCode) => redirect(withErrorCode(returnTo, code));
  const expected = saved?.state;
  const given = query.get("state");
  if (typeof expected !== "string" || given === null || !timingSafeEqual(given, expected))
    return fail("state_mismatch");
  if (!firstUse(ctx.core, expected)) return fail("state_mismatch");
  if (query.has("error")) return fail("access_denied");
  const code = query.get("code");
  if (!code) return fail("missing_code");
  const redirectUri = typeof saved?.redirectUri === "string" ? saved.redirectUri : ctx.redirectUri;
  try {
    const tokens = await oauth.exchangeCode({ code, redirectUri, signal: ctx.request.signal });
    await ctx.session.signIn(tokens, ctx.request.signal);
  } catch (error) {
    if (isTransient(error)) return fail("pinterest_unavailable");
    if (error instanceof PinterestApiError || error instanceof InvalidResponseError) {
      logger.warn(`pintoken: the code exchange failed: ${describeForLog(error)}`);
      return fail("exchange_failed");
    }
    logger.error(`pintoken: the sign-in failed: ${describeForLog(error)}`);
    return fail("internal_error");
  }
  return redirect(returnTo);
}

async function session(ctx: RouteContext): Promise<Reply> {
  return { status: 200, json: await ctx.session.session() };
}

/** Reports a failed refresh; a dead grant also says the browser is signed out. */
function refreshFailure(ctx: RouteContext, error: unknown): Reply {
  const failure = describeFailure(error);
  if (failure === failures.internal) ctx.core.logger.error(`pintoken: a refresh failed: ${describeForLog(error)}`);
  if (failure === failures.reauthorization) return errorReply(failure, { status: "unauthenticated" });
  return errorReply(failure);
}

/** `POST /refresh`: refreshes now and answers the session. */
async function refresh(ctx: RouteContext): Promise<Reply> {
  const loaded = await ctx.session.load();
  if (loaded.kind !== "active") return errorReply(failures.notSignedIn, { status: "unauthenticated" });
  try {
    return { status: 200, json: sessionJson(await ctx.session.refresh({ signal: ctx.request.signal })) };
  } catch (error) {
    return refreshFailure(ctx, error);
  }
}

/**
 * `POST /logout`: revokes at Pinterest and ends the session, even when the revocation fails (and says so). In cookie
 * mode a revocation Pinterest could not be reached for stays pending in the cookie: the next `POST /logout` (the
 * React provider retries it with back-off) tries again.
 */
async function logout(ctx: RouteContext): Promise<Reply> {
  const { revoked, error, pending } = await ctx.session.signOut(ctx.request.signal);
  const body: LogoutJson = { status: "unauthenticated", revoked };
  if (error !== undefined) {
    ctx.core.logger.warn(`pintoken: the revocation at sign-out failed: ${describeForLog(error)}`);
    body.error = isTransient(error)
      ? {
          code: "pinterest_unavailable",
          message: pending
            ? "Signed out here, but Pinterest could not be reached to revoke the grant: signing out again retries it."
            : "Signed out here, but Pinterest could not be reached to revoke the grant. It expires by itself.",
        }
      : {
          code: "revoke_failed",
          message:
            "Signed out here, but Pinterest refused to revoke the grant. Remove the app's access on Pinterest if it must end now.",
        };
  }
  return { status: 200, json: body };
}

/** A route under `basePath`: its method, and whether `HEAD` may run it (only routes without side effects). */
export interface Route {
  readonly method: "GET" | "POST";
  /** `GET` that changes nothing: `HEAD` runs it too. `login` and `callback` change state, so `HEAD` is refused. */
  readonly safe?: boolean;
  readonly run: (ctx: RouteContext) => Promise<Reply>;
}

/** The routes under `basePath`. */
export const routes: Record<string, Route> = {
  login: { method: "GET", run: login },
  callback: { method: "GET", run: callback },
  session: { method: "GET", safe: true, run: session },
  refresh: { method: "POST", run: refresh },
  logout: { method: "POST", run: logout },
};
