import { type Credentials, readCredentials } from "./credentials.ts";

/** A request as the mock reads it once, before any check (the recorder keeps what it holds). */
export interface IncomingRequest {
  readonly method: string;
  readonly url: URL;
  /** The media type of `Content-Type`, lower-cased, without parameters; undefined when absent. */
  readonly contentType: string | undefined;
  /** The body as text ("" when there is none). */
  readonly text: string;
  /** Form fields with every value (a field sent twice has two). Undefined unless the body is form-encoded. */
  readonly form: URLSearchParams | undefined;
  readonly headers: Headers;
  readonly credentials: Credentials | undefined;
}

/** Reads the parts of a request the mock checks; consumes the body. */
export async function readIncomingRequest(request: Request): Promise<IncomingRequest> {
  const contentType = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() || undefined;
  const text = request.method === "GET" || request.method === "HEAD" ? "" : await request.text();
  return {
    method: request.method,
    url: new URL(request.url),
    contentType,
    text,
    form: contentType === "application/x-www-form-urlencoded" ? new URLSearchParams(text) : undefined,
    headers: request.headers,
    credentials: readCredentials(request.headers.get("authorization")),
  };
}

/** The names of the parameters sent more than once, in order. */
export function repeatedNames(params: URLSearchParams): string[] {
  return [...new Set([...params.keys()].filter((name) => params.getAll(name).length > 1))];
}

const secretFields = new Set(["client_secret", "password"]);

/** The first value of every field, as a plain record. */
export function firstValues(params: URLSearchParams): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, value] of params) if (!(name in record)) record[name] = value;
  return record;
}

/** Fields as the recorder keeps them: secrets that some clients wrongly put in a body are redacted. */
export function redactSecrets(fields: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields).map(([name, value]) => [name, secretFields.has(name) ? "[redacted]" : value]),
  );
}
