import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { getResponse, type RequestHandler } from "msw";

/** Reads a Node request into a fetch `Request` whose URL is on `origin` (so handlers match whatever Host was used). */
async function toFetchRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] as string;
    if (!name.startsWith(":")) headers.append(name, req.rawHeaders[i + 1] as string);
  }
  const method = req.method ?? "GET";
  let body: Uint8Array<ArrayBuffer> | undefined;
  if (method !== "GET" && method !== "HEAD") {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    body = new Uint8Array(Buffer.concat(chunks));
  }
  return new Request(new URL(req.url ?? "/", origin), { method, headers, ...(body ? { body } : {}) });
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

function sendJson(res: ServerResponse, status: number, body: { code: number; message: string }): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/**
 * A `node:http` request listener that answers with msw handlers (msw's `getResponse`). A network-error response
 * (`HttpResponse.error()`) destroys the socket, so the client sees a dropped connection.
 */
export function createRequestListener(
  handlers: readonly RequestHandler[],
  origin: string,
  describe: string,
): RequestListener {
  return async (req, res) => {
    try {
      const request = await toFetchRequest(req, origin);
      const response = await getResponse([...handlers], request);
      if (!response) {
        const message = `The mock has no route for ${req.method} ${req.url}. ${describe}`;
        sendJson(res, 404, { code: 404, message });
      } else if (response.type === "error") {
        req.socket.destroy();
      } else {
        await writeResponse(res, response);
      }
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const reason = error instanceof Error ? error.message : String(error);
      sendJson(res, 500, { code: 500, message: `The mock failed to answer: ${reason}` });
    }
  };
}
