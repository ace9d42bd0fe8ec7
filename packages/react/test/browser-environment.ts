/**
 * The tests' browser: happy-dom, but with Node's `fetch`, `Request`, `Response` and `Headers` (relative URLs resolved
 * against the page, as a browser does). happy-dom's `Response` drops `Set-Cookie`, as a browser's must; here the
 * real route handler of `@pintoken/next` runs in the same process behind msw, and its answers have to keep their
 * cookies on the way to the test's cookie jar (`src/testing/route-handler.ts`).
 */
import { builtinEnvironments, type Environment } from "vitest/environments";

const node = { fetch: globalThis.fetch, Request: globalThis.Request, Response, Headers };

const happyDom = builtinEnvironments["happy-dom"];

export default {
  name: "browser",
  viteEnvironment: happyDom.viteEnvironment,
  async setup(global, options) {
    const environment = await happyDom.setup(global, options);
    const page = () => (global as { location: Location }).location.href;
    class BrowserRequest extends node.Request {
      constructor(input: RequestInfo | URL, init?: RequestInit) {
        super(typeof input === "string" ? new URL(input, page()) : input, init);
      }
    }
    Object.assign(global, {
      Request: BrowserRequest,
      Response: node.Response,
      Headers: node.Headers,
      fetch: (input: RequestInfo | URL, init?: RequestInit) => node.fetch(new BrowserRequest(input, init)),
    });
    return environment;
  },
} satisfies Environment;
