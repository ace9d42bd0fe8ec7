/**
 * The mock Pinterest over real HTTP, for Node: the same handlers as `@pintoken/mock`, served with `node:http` on
 * loopback, so browsers, other processes and any HTTP client can use it (the demo runs on it), with a control API
 * under `/__pintoken` for `createMockControl`. A test tool: never expose it beyond loopback.
 *
 * @example
 * ```ts
 * import { startMockPinterest } from "@pintoken/mock/server";
 *
 * const server = await startMockPinterest({ port: 4010 });
 * console.log(server.apiBaseUrl, server.authorizationEndpoint); // http://127.0.0.1:4010/v5 http://127.0.0.1:4010/oauth/
 * server.mock.scenario("oauth/token").serverError();
 * await server.close();
 * ```
 *
 * @module
 */
export {
  type MockPinterestServer,
  type StartMockPinterestOptions,
  startMockPinterest,
} from "./node/start-mock-pinterest.ts";
