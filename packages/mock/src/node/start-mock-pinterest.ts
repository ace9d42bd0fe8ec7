import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { checkWhole } from "../check.ts";
import { createControlHandler } from "../control/control-api.ts";
import { controlPathPrefix } from "../control/control-client.ts";
import { createMock, type MockPinterest } from "../create-mock-pinterest.ts";
import { defaultLimits } from "../defaults.ts";
import type { MockLimits, MockPinterestOptions } from "../options.ts";
import { toResponse } from "../reply.ts";
import { allowedMethods, methodNotAllowed } from "../routes.ts";
import { createRequestListener } from "./node-bridge.ts";

/**
 * Options of {@link startMockPinterest}: where to listen, and every {@link MockPinterestOptions} except the URLs
 * (which follow from the address: the API under `/v5`, the consent page at `/oauth/`).
 *
 * @example
 * ```ts
 * const options: StartMockPinterestOptions = { port: 4010, autoApprove: true, ttlSeconds: { accessToken: 300 } };
 * const server = await startMockPinterest(options);
 * ```
 */
export interface StartMockPinterestOptions
  extends Omit<MockPinterestOptions, "apiBaseUrl" | "authorizationEndpoint" | "limits"> {
  /** The port; `0` (the default) picks a free one. */
  readonly port?: number;
  /**
   * The interface to bind. Default `127.0.0.1` (loopback only: nothing outside this machine can reach the mock). Bind
   * elsewhere only on a machine and network you control: the mock hands out tokens to anyone with its test
   * credentials. The control API answers loopback peers only, whatever the host.
   */
  readonly host?: string;
  /** The mock's caps, plus `bodyBytes`: the largest request body (default 1 MiB); a larger one gets 413 unread. */
  readonly limits?: MockLimits & { readonly bodyBytes?: number };
}

/**
 * A running mock Pinterest.
 *
 * @example
 * ```ts
 * const server = await startMockPinterest();
 * server.apiBaseUrl;            // "http://127.0.0.1:53211/v5"
 * server.authorizationEndpoint; // "http://127.0.0.1:53211/oauth/"
 * await server.close();
 * ```
 */
export interface MockPinterestServer {
  /** The server's origin, e.g. `http://127.0.0.1:4010`. */
  readonly url: string;
  /** `${url}/v5`: pass it to the client as its base URL. */
  readonly apiBaseUrl: string;
  /** `${url}/oauth/`: where the browser goes to approve access. */
  readonly authorizationEndpoint: string;
  /** The mock behind the server: scenarios, recorder, token controls. */
  readonly mock: MockPinterest;
  /** `${url}/__pintoken`: the control API, for `createMockControl` (loopback only). */
  readonly controlUrl: string;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

function originOf(address: AddressInfo): string {
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/**
 * Serves a mock Pinterest over real HTTP (`node:http`): the API under `/v5`, the consent page at `/oauth/`, and the
 * control API under `/__pintoken` (for `createMockControl`; it answers loopback peers only). A test tool: never
 * expose it beyond loopback.
 *
 * @example
 * ```ts
 * import { startMockPinterest } from "@pintoken/mock/server";
 *
 * const server = await startMockPinterest({ port: 0, autoApprove: true });
 * const oauth = createPinterestOAuth({ clientId, clientSecret, redirectUri, baseUrl: server.apiBaseUrl });
 * // …
 * await server.close();
 * ```
 */
export async function startMockPinterest(options: StartMockPinterestOptions = {}): Promise<MockPinterestServer> {
  const { port = 0, host = "127.0.0.1", limits = {}, ...mockOptions } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new RangeError(`port must be 0-65535, got ${port}.`);
  const { bodyBytes = defaultLimits.bodyBytes, ...mockLimits } = limits;
  checkWhole("limits.bodyBytes", bodyBytes, 1);
  let listener: ReturnType<typeof createRequestListener> | undefined;
  const server = createServer((req, res) => listener?.(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      const hint =
        error.code === "EADDRINUSE"
          ? `port ${port} on ${host} is in use: pass another port, or 0 for a free one`
          : `cannot listen on ${host}:${port} (${error.code ?? error.message})`;
      reject(new Error(`The mock Pinterest server did not start: ${hint}.`, { cause: error }));
    });
    server.listen(port, host, resolve);
  });
  const url = originOf(server.address() as AddressInfo);
  let created: ReturnType<typeof createMock>;
  try {
    created = createMock({
      ...mockOptions,
      limits: mockLimits,
      apiBaseUrl: `${url}/v5`,
      authorizationEndpoint: `${url}/oauth/`,
    });
  } catch (error) {
    server.close();
    throw error;
  }
  const { mock, runtime } = created;
  listener = createRequestListener({
    handlers: mock.handlers,
    origin: url,
    bodyBytes,
    allowedMethods: (target) => allowedMethods(runtime.routes, target),
    methodNotAllowed: (method, target, allow) => toResponse(methodNotAllowed(method, target, allow)),
    control: { prefix: controlPathPrefix, handle: createControlHandler(mock, runtime) },
    describe: `It serves the API under ${mock.apiBaseUrl}, the consent page at ${mock.authorizationEndpoint} and the control API under ${url}${controlPathPrefix}.`,
  });
  return {
    url,
    apiBaseUrl: mock.apiBaseUrl,
    authorizationEndpoint: mock.authorizationEndpoint,
    controlUrl: `${url}${controlPathPrefix}`,
    mock,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
