/**
 * The cron route of keep-alive: a framework-free `(Request) => Promise<Response>` that runs a keep-alive pass when the
 * request carries the secret, as Vercel Cron sends it (`Authorization: Bearer <CRON_SECRET>`), compared in constant
 * time. A Next.js route file exports it as `GET`.
 */
import { need } from "./client-options.ts";
import type { KeepAlive, KeepAliveRunOptions } from "./keep-alive-run.ts";

/**
 * Options of {@link createKeepAliveRoute}.
 *
 * @example
 * ```ts
 * const options: KeepAliveRouteOptions = { keepAlive, secret: process.env.CRON_SECRET, timeBudgetMs: 50_000 };
 * ```
 */
export interface KeepAliveRouteOptions {
  /** What to run, or a function that makes it on the first request (so a build never opens a database pool). */
  keepAlive: KeepAlive | (() => KeepAlive | Promise<KeepAlive>);
  /** The bearer secret (Vercel's `CRON_SECRET`): at least 16 characters. Requests without it get 401. */
  secret: string | undefined;
  /** Stop starting accounts after this many ms, to end within the platform's function time limit. */
  timeBudgetMs?: KeepAliveRunOptions["timeBudgetMs"];
}

const encoder = new TextEncoder();

/** Equal in time independent of where they differ: both are hashed first, so even their lengths do not leak. */
async function sameSecret(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all(
    [given, expected].map(async (text) => new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)))),
  );
  let difference = 0;
  for (let i = 0; i < 32; i++) difference |= (a?.[i] ?? 0) ^ (b?.[i] ?? 0);
  return difference === 0;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store" },
  });

/**
 * A `(Request) => Promise<Response>` handler for a cron job: `GET` or `POST` with `Authorization: Bearer <secret>`
 * runs one keep-alive pass and answers 200 with its summary (`complete: false` when the time budget ended it early);
 * a missing or wrong secret answers 401 and runs nothing; a failed run (the store down) answers 500 with its message.
 * The request's abort signal stops the run from starting more accounts.
 *
 * @example
 * ```ts
 * // app/api/cron/keep-alive/route.ts (Next.js); vercel.json: { "crons": [{ "path": "/api/cron/keep-alive", "schedule": "0 3 * * *" }] }
 * import { createKeepAlive, createKeepAliveRoute } from "@pintoken/core/keep-alive";
 *
 * export const GET = createKeepAliveRoute({
 *   secret: process.env.CRON_SECRET,
 *   keepAlive: () => createKeepAlive({ oauth, store }),
 *   timeBudgetMs: 50_000,
 * });
 * ```
 */
export function createKeepAliveRoute(options: KeepAliveRouteOptions): (request: Request) => Promise<Response> {
  const { secret, timeBudgetMs } = options ?? ({} as KeepAliveRouteOptions);
  need(
    typeof secret === "string" && secret.length >= 16,
    "createKeepAliveRoute needs secret: at least 16 random characters (e.g. CRON_SECRET from `openssl rand -hex 32`), sent by the cron as Authorization: Bearer <secret>.",
  );
  need(
    options.keepAlive !== undefined &&
      (typeof options.keepAlive === "function" || typeof options.keepAlive.run === "function"),
    "createKeepAliveRoute needs keepAlive: createKeepAlive({ oauth, store }), or a function that returns it.",
  );
  let keepAlive: Promise<KeepAlive> | undefined;
  return async (request) => {
    if (request.method !== "GET" && request.method !== "POST")
      return new Response(null, { status: 405, headers: { allow: "GET, POST" } });
    const [scheme, given = ""] = (request.headers.get("authorization") ?? "").split(" ");
    if (scheme?.toLowerCase() !== "bearer" || !(await sameSecret(given, secret)))
      return json(401, {
        error: { code: "unauthorized", message: "This cron route needs Authorization: Bearer <CRON_SECRET>." },
      });
    try {
      const source = options.keepAlive;
      keepAlive ??= Promise.resolve(typeof source === "function" ? source() : source);
      const summary = await (await keepAlive).run({ signal: request.signal, timeBudgetMs });
      return json(200, summary);
    } catch (error) {
      keepAlive = undefined; // built again on the next request
      const message = error instanceof Error ? error.message : String(error);
      return json(500, { error: { code: "keep_alive_failed", message } });
    }
  };
}
