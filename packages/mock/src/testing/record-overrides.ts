import { RequestHandler } from "msw";
import type { SetupServerApi } from "msw/node";
import type { MockPinterest } from "../create-mock-pinterest.ts";
import { readIncomingRequest } from "../incoming-request.ts";
import { runtimeOf } from "../mock-runtime.ts";
import { recordedResponse } from "../recorder.ts";
import { recordedOperationAt } from "../routes.ts";

const observed = new WeakSet<RequestHandler>();

/**
 * Makes `server.use(...)` (and `server.resetHandlers(...)`) record, in `mock.calls`, the calls that the added handlers
 * answer for the mock's own URLs, as the mock records the calls it answers. It wraps each added handler's `run`,
 * which msw awaits before the response reaches the caller, so the call is recorded by the time `fetch` resolves.
 */
export function recordOverrides(server: SetupServerApi, mock: MockPinterest): void {
  const runtime = runtimeOf(mock);
  const observe = (handler: unknown) => {
    if (!(handler instanceof RequestHandler) || observed.has(handler)) return handler;
    observed.add(handler);
    const run = handler.run.bind(handler);
    handler.run = async (args) => {
      const at = runtime.config.now();
      const result = await run(args);
      const response = result?.response;
      const operationId = recordedOperationAt(runtime.routes, args.request.method, new URL(args.request.url));
      if (!result || !response || !operationId) return result;
      // msw hands the result a clone of the request made before the resolver ran: its body is still unread.
      const incoming = await readIncomingRequest(result.request.clone());
      const reason = "Answered by a handler added with server.use()";
      runtime.record(
        await recordedResponse(operationId, incoming, response, { at, clients: runtime.config.clients, reason }),
      );
      return result;
    };
    return handler;
  };
  const use = server.use.bind(server);
  const resetHandlers = server.resetHandlers.bind(server);
  server.use = (...handlers) => use(...(handlers.map(observe) as typeof handlers));
  server.resetHandlers = (...handlers) => resetHandlers(...(handlers.map(observe) as typeof handlers));
}
