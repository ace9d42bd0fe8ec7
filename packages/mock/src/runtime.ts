import type { IssuedTokens } from "./issued-tokens.ts";
import type { MockConfig } from "./options.ts";
import type { RecordedCall } from "./recorder.ts";
import type { Route } from "./routes.ts";
import type { ScenarioQueue } from "./scenarios.ts";

/**
 * The state behind one mock, which its handlers, its control API and its test helper share. `createMock()` makes it
 * beside the public `MockPinterest`; users never see it.
 */
export interface MockRuntime {
  readonly config: MockConfig;
  readonly tokens: IssuedTokens;
  readonly scenarios: ScenarioQueue;
  readonly record: (call: RecordedCall) => void;
  /** The paths the mock serves and their methods. */
  readonly routes: readonly Route[];
}
