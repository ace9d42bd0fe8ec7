import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { isLoopback } from "@pintoken/core";
import { getResponse, type RequestHandler } from "msw";

/** What the bridge serves and how it refuses what no handler should see. */
export interface BridgeOptions {
  readonly handlers: readonly RequestHandler[];
  /** The server's origin: every request URL is resolved on it, whatever `Host` the client sent. */
  readonly origin: string;
  /** The largest request body read, in bytes; a larger one gets 413 and the connection is closed. */
  readonly bodyBytes: number;
  /** The methods served at a URL (undefined: nothing is served there), for methods `fetch` cannot carry (TRACE). */
  readonly allowedMethods: (url: URL) => readonly string[] | undefined;
  /** Answers for methods the route does not serve (405 with `Allow`). */
  readonly methodNotAllowed: (method: string, url: URL, allow: readonly string[]) => Response;
  /** Requests under this path prefix go to `control` instead of the handlers (only from loopback peers). */
  readonly control: { readonly prefix: string; readonly handle: (request: Request) => Promise<Response> };
  /** Appended to the 404 message: what the server does serve. */
  readonly describe: string;
}

/** Methods the fetch API refuses to put in a `Request`: the bridge answers them itself. */
const unrepresentable = new Set(["CONNECT", "TRACE", "TRACK"]);

class BodyTooLarge extends Error {}

/**
 * The request target as a URL on `origin`, or undefined when it is not in normal form: URL parsing would change its
 * path (backslashes, dot segments, a leading `//`, an absolute-form target). Such a path is not one the mock serves,
 * whatever it normalizes to.
 */
function targetUrl(target: string, origin: string): URL | undefined {
  if (!target.startsWith("/") || target.startsWith("//")) return undefined;
  const url = new URL(target, origin);
  const path = target.split("?")[0];
  return url.origin === origin && url.pathname === path ? url : undefined;
}

/**
 * Reads the body, counting bytes as they arrive; rejects with {@link BodyTooLarge} past `limit` and stops reading
 * (with events rather than `for await`, whose early exit would destroy the socket before the 413 is sent).
 */
function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array<ArrayBuffer> | undefined> {
  if (req.method === "GET" || req.method === "HEAD") return Promise.resolve(undefined);
  if (Number(req.headers["content-length"]) > limit) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off("data", onData);
      chunks.length = 0;
      reject(new BodyTooLarge());
    };
    req.on("data", onData);
    req.once("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
    req.once("error", reject);
  });
}

/** Reads a Node request into a fetch `Request` on `url`. */
async function toFetchRequest(req: IncomingMessage, url: URL, bodyBytes: number): Promise<Request> {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] as string;
    if (!name.startsWith(":")) headers.append(name, req.rawHeaders[i + 1] as string);
  }
  const body = await readBody(req, bodyBytes);
  return new Request(url, { method: req.method ?? "GET", headers, ...(body ? { body } : {}) });
}

/** Writes a fetch `Response` to a Node response. */
async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, response.statusText || undefined, headers);
  res.end(body);
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: { code: number; message: string },
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

async function answer(req: IncomingMessage, res: ServerResponse, options: BridgeOptions): Promise<void> {
  const method = req.method ?? "GET";
  const url = targetUrl(req.url ?? "/", options.origin);
  const notFound = () =>
    sendJson(res, 404, { code: 404, message: `The mock has no route for ${method} ${req.url}. ${options.describe}` });
  if (!url) return notFound();
  const isControl = url.pathname === options.control.prefix || url.pathname.startsWith(`${options.control.prefix}/`);
  if (isControl && !isLoopback(req.socket.remoteAddress)) {
    return sendJson(res, 403, { code: 403, message: "The control API answers only requests from this machine." });
  }
  if (unrepresentable.has(method)) {
    const allow = isControl ? ["GET", "POST", "DELETE"] : options.allowedMethods(url);
    if (!allow) return notFound();
    return writeResponse(res, options.methodNotAllowed(method, url, allow));
  }
  const request = await toFetchRequest(req, url, options.bodyBytes);
  const response = isControl
    ? await options.control.handle(request)
    : await getResponse([...options.handlers], request);
  if (!response) return notFound();
  if (response.type === "error") {
    req.socket.destroy();
    return;
  }
  await writeResponse(res, response);
}

/** How long a connection whose body was refused stays open for the client to read the 413 (then it is closed). */
const lingerMs = 2_000;

/**
 * A `node:http` request listener that answers with msw handlers (msw's `getResponse`), after refusing what Pinterest
 * would not serve: a request target not in normal form (404), a method `fetch` cannot carry (405 or 404), a body over
 * the limit (413, counted as it streams in; the connection is closed shortly after). A
 * network-error response (`HttpResponse.error()`) destroys the socket, so the client sees a dropped connection.
 */
export function createRequestListener(options: BridgeOptions): RequestListener {
  return async (req, res) => {
    try {
      await answer(req, res, options);
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof BodyTooLarge) {
        const message = `The request body is larger than ${options.bodyBytes} bytes (the mock's limits.bodyBytes).`;
        sendJson(res, 413, { code: 413, message });
        req.resume(); // what is still in flight is discarded
        // Closing at once, while the client still sends, would reset the connection, and a reset can discard the
        // 413 unread on the client's side: leave it a moment to read the answer and stop, then close.
        const linger = setTimeout(() => req.socket.destroy(), lingerMs);
        linger.unref();
        req.socket.once("close", () => clearTimeout(linger));
        return;
      }
      const reason = error instanceof Error ? error.message : String(error);
      sendJson(res, 500, { code: 500, message: `The mock failed to answer: ${reason}` });
    }
  };
}
