/**
 * The loopback redirect of `pintoken login`: an HTTP server on the registered redirect URI's port (loopback only)
 * that waits for Pinterest to send the browser back with `?code&state`, checks `state`, and answers the browser with
 * a page that says what happened.
 */
import { timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { AuthRequiredError, InterruptedError, UsageError } from "./exit-codes.ts";

/** What the browser brought back. */
export interface Callback {
  readonly code: string;
}

/** A listening loopback redirect. */
export interface LoopbackRedirect {
  /** The redirect URI it serves (its port chosen by the system when asked for port 0). */
  readonly redirectUri: string;
  /**
   * Resolves with the code of the first redirect whose `state` matches; a redirect with another state is answered
   * with an error page and ignored. Rejects when Pinterest answers `error` (denied), on `signal`, or after
   * `timeoutMs`.
   */
  waitForCode(
    state: string,
    options: { signal: AbortSignal; timeoutMs: number; onForeignState?: () => void },
  ): Promise<Callback>;
  /** Stops listening and drops open connections: the port is free when it resolves. */
  close(): Promise<void>;
}

const loopbackHosts = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Checks that `uri` is an `http` URI on a loopback host with an explicit port, as a CLI's redirect must be, and
 * returns it parsed; the message says what to register otherwise.
 */
export function checkRedirectUri(uri: string): URL {
  const url = URL.canParse(uri) ? new URL(uri) : undefined;
  if (url?.protocol !== "http:" || !loopbackHosts.has(url.hostname) || url.search || url.hash)
    throw new UsageError(
      `--redirect-uri must be an http URI on this machine (localhost, 127.0.0.1 or [::1]) without a query, e.g. http://localhost:8085/; got ${JSON.stringify(uri)}.`,
    );
  return url;
}

const page = (title: string, text: string) =>
  `<!doctype html><html lang="en"><meta charset="utf-8"><title>${title}</title>` +
  `<body style="font:16px system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em">` +
  `<h1 style="font-size:1.4em">${title}</h1><p>${text}</p></body></html>`;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}

/**
 * Listens on the redirect URI's port: on 127.0.0.1 and ::1 for `localhost` (browsers resolve it to either), else on
 * the one address. A port in use is a {@link UsageError} saying what to do; with `fallbackToFreePort`, a free port is
 * taken instead (the mock Pinterest accepts any).
 */
export async function startLoopbackRedirect(
  redirectUri: URL,
  { fallbackToFreePort = false }: { fallbackToFreePort?: boolean } = {},
): Promise<LoopbackRedirect> {
  let onRequest: (request: IncomingMessage, response: ServerResponse) => void = (_, response) => {
    response.writeHead(503).end();
  };
  const hosts =
    redirectUri.hostname === "localhost" ? ["127.0.0.1", "::1"] : [redirectUri.hostname.replace(/^\[|\]$/g, "")];
  const servers: Server[] = [];
  const closeAll = () =>
    Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    ).then(() => undefined);
  let port = Number(redirectUri.port || 80);
  for (const [index, host] of hosts.entries()) {
    const server = createServer((request, response) => onRequest(request, response));
    try {
      port = await listen(server, port, host);
      servers.push(server);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (index > 0 && (code === "EADDRNOTAVAIL" || code === "EAFNOSUPPORT")) continue; // no IPv6 here
      await closeAll();
      if (code === "EADDRINUSE" && index === 0 && fallbackToFreePort) {
        return startLoopbackRedirect(new URL(redirectUri.href.replace(`:${redirectUri.port}`, ":0")));
      }
      if (code === "EADDRINUSE")
        throw new UsageError(
          `Port ${port} is in use, so the sign-in cannot come back to ${redirectUri.href}. Stop what uses it (another pintoken login?), or register another redirect URI for your app, e.g. http://localhost:8086/, and pass --port 8086.`,
        );
      throw error;
    }
  }
  const actual = new URL(redirectUri.href);
  actual.port = String(port);
  const path = actual.pathname;

  return {
    redirectUri: actual.href,
    close: closeAll,
    waitForCode(state, { signal, timeoutMs, onForeignState }) {
      return new Promise<Callback>((resolve, reject) => {
        const finish = (outcome: () => void) => {
          clearTimeout(timer);
          signal.removeEventListener("abort", aborted);
          outcome();
        };
        const timer = setTimeout(
          () =>
            finish(() =>
              reject(
                new AuthRequiredError(
                  `Nobody approved the sign-in within ${Math.round(timeoutMs / 60_000)} minutes. Run pintoken login again.`,
                ),
              ),
            ),
          timeoutMs,
        );
        const aborted = () => finish(() => reject(new InterruptedError("Sign-in cancelled.")));
        if (signal.aborted) return aborted();
        signal.addEventListener("abort", aborted, { once: true });
        onRequest = (request, response) => {
          const url = new URL(request.url ?? "/", actual);
          const answer = (status: number, title: string, text: string) =>
            response
              .writeHead(status, {
                "content-type": "text/html; charset=utf-8",
                "cache-control": "no-store",
                connection: "close",
              })
              .end(page(title, text));
          if (request.method !== "GET" || url.pathname !== path)
            return answer(404, "Not found", "This is pintoken's sign-in redirect.");
          if (!sameText(url.searchParams.get("state") ?? "", state)) {
            onForeignState?.();
            return answer(
              400,
              "This sign-in is not the one pintoken is waiting for",
              "Its <code>state</code> does not match: it came from an older or another sign-in. Go back to the terminal and use the link pintoken printed last.",
            );
          }
          const error = url.searchParams.get("error");
          if (error) {
            const description = url.searchParams.get("error_description");
            answer(
              200,
              "Not signed in",
              `Pinterest answered <code>${escapeHtml(error)}</code>${description ? `: ${escapeHtml(description)}` : ""}. You can close this tab.`,
            );
            return finish(() =>
              reject(
                new AuthRequiredError(
                  error === "access_denied"
                    ? "Access was denied on Pinterest's consent page: nothing was saved. Run pintoken login again to approve."
                    : `Pinterest answered ${error}${description ? ` (${description})` : ""}: nothing was saved.`,
                ),
              ),
            );
          }
          const code = url.searchParams.get("code");
          if (!code) return answer(400, "No code", "Pinterest sent no authorization code. Go back to the terminal.");
          answer(200, "Signed in to pintoken", "You can close this tab and go back to the terminal.");
          finish(() => resolve({ code }));
        };
      });
    },
  };
}

/** Compares two strings in time that does not depend on where they differ. */
function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
