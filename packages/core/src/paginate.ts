import type { Client } from "openapi-fetch";
import { PinterestApiError } from "./errors.ts";

/** The JSON body of a response type of openapi-typescript's `paths`. */
type Json<R> = R extends { content: { "application/json": infer B } } ? B : never;
type Get<Paths, P extends keyof Paths> = Paths[P] extends { get: infer O } ? O : never;
type FirstPage<O> = O extends { responses: { 200: infer R } } ? Json<R> : never;
type Query<O> = O extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
type PathParams<O> = O extends { parameters: { path: infer P } }
  ? P
  : O extends { parameters: { path?: infer P } }
    ? P
    : never;

/**
 * The paths of `Paths` whose `GET` Pinterest pages with a `bookmark`: it takes a `bookmark` query parameter and answers
 * `{ items, bookmark }`. With the shipped types, 56 operations such as `/boards`, `/pins` and `/boards/{board_id}/pins`.
 *
 * @example
 * ```ts
 * import type { PagedPath, paths } from "@pintoken/core/api";
 * const path: PagedPath<paths> = "/boards";
 * ```
 */
export type PagedPath<Paths> = {
  [P in keyof Paths]: "bookmark" extends keyof Query<Get<Paths, P>>
    ? FirstPage<Get<Paths, P>> extends { items: readonly unknown[] }
      ? P
      : never
    : never;
}[keyof Paths];

/**
 * One item of a paged list, e.g. a `Board` for `/boards`.
 *
 * @example
 * ```ts
 * type Board = PageItem<paths, "/boards">;
 * ```
 */
export type PageItem<Paths, P extends keyof Paths> =
  FirstPage<Get<Paths, P>> extends { items: readonly (infer I)[] } ? I : never;

/**
 * Options of {@link paginate}: the operation's parameters (without `bookmark`, which the pager sends), the page size,
 * and a signal that stops the walk.
 *
 * @example
 * ```ts
 * const options: PaginateOptions<paths, "/boards"> = { params: { query: { privacy: "PUBLIC" } }, pageSize: 100 };
 * ```
 */
export interface PaginateOptions<Paths, P extends keyof Paths> {
  readonly params?: {
    readonly query?: Omit<Query<Get<Paths, P>>, "bookmark" | "page_size">;
    readonly path?: PathParams<Get<Paths, P>>;
  };
  /** Items per request (`page_size`); Pinterest's default is 25, its maximum 250. */
  readonly pageSize?: number;
  /** Aborts the request under way and ends the walk with the signal's reason. */
  readonly signal?: AbortSignal;
}

type Answer = { data?: unknown; error?: unknown; response: Response };

/**
 * Walks a list Pinterest pages with a `bookmark` (`GET /boards`, `GET /pins`, …), item by item: the next page is
 * asked for only when the items of the last one are used up, with its bookmark. Leave the loop (`break`, `return`, an
 * error) and no further page is asked for; abort `signal` and the request under way stops too. An error answer
 * rejects with a `PinterestApiError`. A 429 is waited out by the client (see `createPinterestApi`'s `rateLimit`).
 *
 * @example
 * ```ts
 * import { createPinterestApi, paginate } from "@pintoken/core/api";
 *
 * const api = createPinterestApi({ manager });
 * for await (const board of paginate(api, "/boards", { pageSize: 100 })) {
 *   console.log(board.id, board.name);
 * }
 * ```
 */
export async function* paginate<Paths extends {}, P extends PagedPath<Paths> & keyof Paths & string>(
  api: Client<Paths>,
  path: P,
  options: PaginateOptions<Paths, P> = {},
): AsyncGenerator<PageItem<Paths, P>, void, undefined> {
  const get = api.GET as unknown as (path: string, init: object) => Promise<Answer>;
  let bookmark: string | undefined;
  do {
    options.signal?.throwIfAborted();
    const query = {
      ...options.params?.query,
      ...(options.pageSize === undefined ? {} : { page_size: options.pageSize }),
      ...(bookmark === undefined ? {} : { bookmark }),
    };
    const { data, error, response } = await get(path, {
      params: { ...options.params, query },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (error !== undefined || !data) {
      const body = (error ?? {}) as { code?: unknown; message?: unknown };
      throw new PinterestApiError(`GET ${path}`, {
        status: response.status,
        pinterestCode: typeof body.code === "number" ? body.code : undefined,
        pinterestMessage: typeof body.message === "string" ? body.message : undefined,
        requestId: response.headers.get("x-pinterest-rid") ?? undefined,
      });
    }
    const page = data as { items: PageItem<Paths, P>[]; bookmark?: string | null };
    yield* page.items;
    bookmark = page.bookmark ?? undefined;
  } while (bookmark);
}
