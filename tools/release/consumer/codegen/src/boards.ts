// A user's program typed by the types `npx @pintoken/codegen` wrote to src/pinterest.d.ts: GET /boards and
// GET /pins/{pin_id} against the packed mock Pinterest over HTTP, /boards paged with paginate(). Prints one JSON line.
import { createPinterestOAuth, createTokenManager, MemoryTokenStore, pinterestScopes } from "@pintoken/core";
import { createPinterestApi, paginate } from "@pintoken/core/api";
import { mockClient } from "@pintoken/mock";
import { startMockPinterest } from "@pintoken/mock/server";
import type { paths } from "./pinterest.js";

const server = await startMockPinterest({ port: 0, listLength: 55 });
try {
  const oauth = createPinterestOAuth({
    clientId: mockClient.clientId,
    clientSecret: mockClient.clientSecret,
    baseUrl: server.apiBaseUrl,
  });
  const store = new MemoryTokenStore();
  await store.set("user", server.mock.issueTokens({ scopes: [...pinterestScopes] }).tokenSet);
  const api = createPinterestApi<paths>({ manager: createTokenManager({ oauth, store, key: "user" }) });

  const names: string[] = [];
  for await (const board of paginate(api, "/boards", { pageSize: 20 })) names.push(board.name);
  const pages = server.mock.calls.for("boards/list").length;
  const { data: firstPage } = await api.GET("/boards", { params: { query: { page_size: 5 } } });
  const { data: pin } = await api.GET("/pins/{pin_id}", { params: { path: { pin_id: "1" } } });
  const pinId: string | undefined = pin?.id;

  // @ts-expect-error: Pinterest has no such path
  const noSuchPath = () => api.GET("/no-such-path");
  void noSuchPath;

  // biome-ignore lint/suspicious/noConsole: the program's one line of output, which the test reads
  console.log(
    JSON.stringify({
      boards: names.length,
      pages,
      firstPage: firstPage?.items.length,
      pin: typeof pinId,
    }),
  );
} finally {
  await server.close();
}
