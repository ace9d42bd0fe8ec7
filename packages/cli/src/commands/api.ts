/** `pintoken api <METHOD> <path>`: any operation of the spec, with the profile's token. */
import { readFile } from "node:fs/promises";
import { PinterestApiError } from "@pintoken/core";
import { createPinterestApi, paginate } from "@pintoken/core/api";
import { type Context, loginCommand, openProfile } from "../context.ts";
import { exitCodes, UsageError } from "../exit-codes.ts";
import { matchPath, methods, type Operation, similarPaths } from "../operations.ts";

export interface ApiOptions {
  "raw-field"?: string[] | undefined;
  field?: string[] | undefined;
  input?: string | undefined;
  paginate?: boolean | undefined;
  json?: boolean | undefined;
}

/** A request built from the command line, checked against the operation. */
export interface ApiRequest {
  readonly operation: Operation;
  readonly path: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, unknown>>;
  readonly body: unknown;
}

/** `key=value`, `key[sub]=value`, `key[]=value`: the key's parts and the value. */
function splitField(text: string, option: string): { parts: string[]; append: boolean; value: string } {
  const equals = text.indexOf("=");
  if (equals <= 0) throw new UsageError(`${option} takes key=value, got ${JSON.stringify(text)}.`);
  const key = text.slice(0, equals);
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!match) throw new UsageError(`${option}: ${JSON.stringify(key)} is not a key (name, name[sub] or name[]).`);
  const parts = [match[1] as string, ...[...(match[2] ?? "").matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1] as string)];
  const append = parts.at(-1) === "";
  if (parts.slice(1, append ? -1 : undefined).includes(""))
    throw new UsageError(`${option}: "[]" may only end a key (${JSON.stringify(key)}).`);
  return { parts: append ? parts.slice(0, -1) : parts, append, value: text.slice(equals + 1) };
}

/** A `-F` value: true, false, null, a number, JSON (`[…]`, `{…}`), `@file` (its text) or `@-` (stdin); else text. */
async function typedValue(text: string, readStdin: () => Promise<string>): Promise<unknown> {
  if (text === "true") return true;
  if (text === "false") return false;
  if (text === "null") return null;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (/^[[{]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new UsageError(`-F value ${text.slice(0, 60)} is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (text === "@-") return (await readStdin()).replace(/\n$/, "");
  if (text.startsWith("@")) {
    try {
      return (await readFile(text.slice(1), "utf8")).replace(/\n$/, "");
    } catch (error) {
      throw new UsageError(`-F ${text}: could not read the file (${(error as Error).message}).`);
    }
  }
  return text;
}

function setNested(target: Record<string, unknown>, parts: string[], value: unknown, append: boolean, key: string) {
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (next === undefined) node[part] = {};
    else if (typeof next !== "object" || next === null || Array.isArray(next))
      throw new UsageError(`Field ${key} nests inside ${part}, which already has a value.`);
    node = node[part] as Record<string, unknown>;
  }
  const last = parts.at(-1) as string;
  if (append) {
    const list = node[last] ?? [];
    if (!Array.isArray(list)) throw new UsageError(`Field ${key}: ${last} already has a value that is not a list.`);
    node[last] = [...list, value];
  } else {
    if (node[last] !== undefined) throw new UsageError(`Field ${key} is given twice (use ${last}[]=… for a list).`);
    node[last] = value;
  }
}

const readAll = async (stream: NodeJS.ReadableStream) => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
};

/**
 * Builds the request of `pintoken api`: the method and path checked against the spec's operations, the path's
 * `{parameters}` from the path itself or from fields, the other fields into the query (parameters the operation
 * declares) or the JSON body (operations that take one). Anything else is a {@link UsageError} that says what the
 * operation takes.
 */
export async function buildRequest(
  methodText: string | undefined,
  pathText: string | undefined,
  options: ApiOptions,
  readStdin: () => Promise<string>,
): Promise<ApiRequest> {
  if (!methodText || !pathText)
    throw new UsageError(
      "pintoken api needs a method and a path, e.g. pintoken api GET /user_account. See pintoken api --help.",
    );
  const method = methodText.toUpperCase();
  if (!methods.includes(method))
    throw new UsageError(
      `${JSON.stringify(methodText)} is not a method of Pinterest's API: use one of ${methods.join(", ")}.`,
    );
  const url = new URL(pathText.replace(/^(https?:\/\/[^/]+)?(\/v5)?\/*/i, "/"), "http://path.invalid");
  if (url.pathname.startsWith("/oauth"))
    throw new UsageError(
      `${url.pathname} is the OAuth endpoint: pintoken login, pintoken token and pintoken logout use it for you.`,
    );
  const matched = matchPath(url.pathname);
  if (!matched) {
    const similar = similarPaths(url.pathname);
    throw new UsageError(
      `${url.pathname} is not a path of Pinterest's API v5.${similar.length ? ` Paths that start the same: ${similar.join(", ")}.` : ""} Paths look like /boards or /boards/{board_id}/pins.`,
    );
  }
  const operation = matched.operations.find((op) => op.method === method);
  if (!operation)
    throw new UsageError(
      `${matched.template} has no ${method} operation: it takes ${matched.operations.map((op) => op.method).join(", ")}.`,
    );
  const path: Record<string, string> = { ...matched.values };
  const query: Record<string, unknown> = {};
  const body: Record<string, unknown> = {};
  let stdin: Promise<string> | undefined;
  const once = () => {
    stdin ??= readStdin();
    return stdin;
  };
  const fields = [
    ...[...url.searchParams.entries()].map(([key, value]) => ({
      text: `${key}=${value}`,
      typed: false,
      option: "the path's query",
    })),
    ...(options["raw-field"] ?? []).map((text) => ({ text, typed: false, option: "-f" })),
    ...(options.field ?? []).map((text) => ({ text, typed: true, option: "-F" })),
  ];
  let bodyFields = 0;
  for (const { text, typed, option } of fields) {
    const { parts, append, value: raw } = splitField(text, option);
    const value = typed ? await typedValue(raw, once) : raw;
    const [name] = parts as [string];
    const key = text.slice(0, text.indexOf("="));
    if (operation.pathParams.includes(name)) {
      if (parts.length > 1 || append) throw new UsageError(`Path parameter ${name} takes one value (${key}).`);
      path[name] = String(value);
    } else if (operation.query.includes(name)) {
      if (parts.length > 1) throw new UsageError(`Query parameter ${name} takes no [sub] keys (${key}).`);
      const isList = operation.arrays?.includes(name) ?? false;
      if (isList) query[name] = [...((query[name] as unknown[] | undefined) ?? []), value];
      else if (query[name] !== undefined || append) throw new UsageError(`Query parameter ${name} takes one value.`);
      else query[name] = value;
    } else if (operation.body) {
      setNested(body, parts, value, append, key);
      bodyFields++;
    } else {
      const takes = [...operation.pathParams, ...operation.query];
      throw new UsageError(
        `${method} ${operation.path} takes no ${JSON.stringify(name)}: ${takes.length ? `its parameters are ${takes.join(", ")}` : "it takes no parameters"}.`,
      );
    }
  }
  const missing = operation.pathParams.filter((name) => path[name] === undefined);
  if (missing.length)
    throw new UsageError(
      `${method} ${operation.path} needs ${missing.map((name) => `-f ${name}=…`).join(" and ")} (or the value in the path).`,
    );
  const missingQuery = (operation.requiredQuery ?? []).filter((name) => query[name] === undefined);
  if (missingQuery.length)
    throw new UsageError(`${method} ${operation.path} needs ${missingQuery.map((name) => `-f ${name}=…`).join(" ")}.`);
  let input: unknown;
  if (options.input !== undefined) {
    if (!operation.body)
      throw new UsageError(`${method} ${operation.path} takes no body, so --input has nothing to fill.`);
    const text =
      options.input === "-"
        ? await once()
        : await readFile(options.input, "utf8").catch((error: Error) => {
            throw new UsageError(`--input ${options.input}: could not read the file (${error.message}).`);
          });
    try {
      input = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`--input ${options.input} is not JSON: ${(error as Error).message}`);
    }
  }
  const hasBody = bodyFields > 0 || input !== undefined;
  const merged =
    bodyFields > 0 && input !== undefined && typeof input === "object" && input !== null && !Array.isArray(input)
      ? { ...input, ...body }
      : bodyFields > 0
        ? body
        : input;
  if (bodyFields > 0 && input !== undefined && (typeof input !== "object" || input === null || Array.isArray(input)))
    throw new UsageError("--input holds a list or a value: fields (-f/-F) can only be added to a JSON object.");
  return { operation, path, query, body: hasBody ? merged : undefined };
}

/** `pintoken api`. */
export async function api(
  context: Context,
  [methodText, pathText, ...rest]: string[],
  options: ApiOptions,
): Promise<number> {
  if (rest.length)
    throw new UsageError(`Unexpected ${JSON.stringify(rest[0])}: fields go after -f (e.g. -f page_size=10).`);
  const request = await buildRequest(methodText, pathText, options, () => readAll(context.stdin));
  const { operation } = request;
  if (options.paginate && !operation.paged)
    throw new UsageError(
      `--paginate: ${operation.method} ${operation.path} is not a list Pinterest pages with a bookmark.`,
    );
  if (request.body !== undefined && !operation.body?.includes("application/json"))
    throw new UsageError(
      `${operation.method} ${operation.path} takes ${operation.body?.join(", ")}, which pintoken api cannot send yet.`,
    );
  const { manager, stored } = await openProfile(context);
  const granted = stored.data.tokenSet?.scopes ?? [];
  const failed = (status: number, why: string, requestId?: string | null) =>
    apiFailure(context, operation, { status, why, requestId, granted });
  const client = createPinterestApi({ manager });
  const write = (text: string) => context.stdout.write(text);
  const show = (value: unknown) => (options.json ? JSON.stringify(value) : JSON.stringify(value, null, 2));

  if (options.paginate) {
    const { page_size: pageSize, ...query } = request.query as { page_size?: unknown };
    if (pageSize !== undefined && !(typeof pageSize === "string" || typeof pageSize === "number"))
      throw new UsageError("page_size takes a number.");
    let count = 0;
    try {
      const pages = paginate(client as never, operation.path as never, {
        params: { path: request.path, query } as never,
        ...(pageSize === undefined ? {} : { pageSize: Number(pageSize) }),
        signal: context.signal,
      });
      for await (const item of pages) {
        if (options.json) write(`${show(item)}\n`);
        else write(`${count === 0 ? "[\n" : ",\n"}${show(item).replace(/^/gm, "  ")}`);
        count++;
      }
    } catch (error) {
      if (!options.json && count > 0) write("\n]\n");
      if (error instanceof PinterestApiError) return failed(error.status, error.message);
      throw error;
    }
    if (!options.json) write(count === 0 ? "[]\n" : "\n]\n");
    return 0;
  }

  const call = (
    client as unknown as {
      request: (...args: unknown[]) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
    }
  ).request;
  const { data, error, response } = await call(operation.method.toLowerCase(), operation.path, {
    params: { path: request.path, query: request.query },
    ...(request.body === undefined ? {} : { body: request.body }),
    parseAs: "text",
    signal: context.signal,
  });
  const answer = response.ok ? data : error; // openapi-fetch parses an error body as JSON when it can
  let parsed: unknown = answer === "" ? undefined : answer;
  if (typeof answer === "string" && answer !== "") {
    try {
      parsed = JSON.parse(answer);
    } catch {
      // not JSON: printed as it came
    }
  }
  if (parsed !== undefined) write(typeof parsed === "string" ? `${parsed}\n` : `${show(parsed)}\n`);
  if (response.ok) return 0;
  const message = (parsed as { message?: unknown } | undefined)?.message;
  return failed(
    response.status,
    typeof message === "string" ? message : response.statusText,
    response.headers.get("x-pinterest-rid"),
  );
}

/** Reports an error answer of Pinterest on stderr (its body is on stdout), with the way out when there is one. */
function apiFailure(
  context: Context,
  op: Operation,
  {
    status,
    why,
    requestId,
    granted,
  }: { status: number; why: string; requestId?: string | null | undefined; granted: readonly string[] },
): number {
  context.say(
    `${context.color.red("pintoken:")} ${op.method} ${op.path} answered ${status}: ${why}${requestId ? ` (x-pinterest-rid ${requestId})` : ""}`,
  );
  const missing = (op.scopes ?? []).filter((scope) => !granted.includes(scope));
  if (status === 403 && missing.length)
    context.say(
      `  It needs the scope${missing.length > 1 ? "s" : ""} ${missing.join(", ")}, which this profile was not granted: sign in again with it, ${loginCommand(context)} --scopes ${[...new Set([...granted, ...missing])].join(",")}`,
    );
  if (status === 401)
    context.say(`  The token was refused even after a refresh: sign in again with ${loginCommand(context)}`);
  return exitCodes.apiError;
}
