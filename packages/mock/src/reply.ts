import { HttpResponse } from "msw";

/** What a mock endpoint answers, before it becomes a `Response` (the recorder keeps the same value). */
export type Reply =
  | {
      readonly kind: "json";
      readonly status: number;
      readonly body: unknown;
      readonly headers?: Readonly<Record<string, string>>;
      /** Why the mock answered with an error, for the recorder and the `x-pintoken-mock-reason` header. */
      readonly reason?: string;
    }
  | { readonly kind: "empty"; readonly status: number; readonly reason?: string }
  | { readonly kind: "html"; readonly status: number; readonly html: string; readonly reason?: string }
  | { readonly kind: "redirect"; readonly location: string; readonly reason?: string }
  | { readonly kind: "network-error"; readonly reason: string };

/** The status a reply is sent with (0 for a dropped connection, like `Response.error()`). */
export function replyStatus(reply: Reply): number {
  if (reply.kind === "network-error") return 0;
  if (reply.kind === "redirect") return 302;
  return reply.status;
}

/** The body a reply carries, as the recorder shows it: parsed JSON, HTML text, or undefined. */
export function replyBody(reply: Reply): unknown {
  if (reply.kind === "json") return reply.body;
  if (reply.kind === "html") return reply.html;
  return undefined;
}

/** The response headers a reply is sent with. */
export function replyHeaders(reply: Reply): Record<string, string> {
  const headers: Record<string, string> = {};
  if (reply.kind === "json" && reply.headers) Object.assign(headers, reply.headers);
  if (reply.kind === "html") {
    headers["cache-control"] = "no-store";
    headers["content-security-policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data: https:";
  }
  if (reply.kind === "redirect") {
    headers.location = reply.location;
    headers["cache-control"] = "no-store";
  }
  if (reply.kind !== "network-error" && reply.reason !== undefined) {
    // Header values must be ISO-8859-1; the validator's messages may hold "≥" or "…".
    headers["x-pintoken-mock-reason"] = reply.reason.replace(/[^\x20-\x7e]/g, "?");
  }
  return headers;
}

/** Turns a reply into the `Response` msw sends (`HttpResponse.error()` for a dropped connection). */
export function toResponse(reply: Reply): Response {
  const headers = replyHeaders(reply);
  switch (reply.kind) {
    case "json":
      return HttpResponse.json(reply.body as Record<string, unknown>, { status: reply.status, headers });
    case "html":
      return HttpResponse.html(reply.html, { status: reply.status, headers });
    case "redirect":
      return new HttpResponse(null, { status: 302, headers });
    case "empty":
      return new HttpResponse(null, { status: reply.status, headers });
    case "network-error":
      return HttpResponse.error();
  }
}
