import type { MockPinterest } from "./create-mock-pinterest.ts";
import type { MockConfig } from "./options.ts";
import type { RecordedCall } from "./recorder.ts";
import type { Route } from "./routes.ts";
import type { ScenarioQueue } from "./scenarios.ts";
import type { TokenStore } from "./token-store.ts";

/** The state one mock's handlers share. */
export interface MockRuntime {
  readonly config: MockConfig;
  readonly store: TokenStore;
  readonly scenarios: ScenarioQueue;
  readonly record: (call: RecordedCall) => void;
  /** The paths the mock serves and their methods. */
  readonly routes: readonly Route[];
}

const runtimes = new WeakMap<MockPinterest, MockRuntime>();

/** Links a mock to its state, for the package's other entries (the HTTP server, the testing helper). */
export function registerRuntime(mock: MockPinterest, runtime: MockRuntime): void {
  runtimes.set(mock, runtime);
}

/** The state behind a mock made by `createMockPinterest`; throws for any other object. */
export function runtimeOf(mock: MockPinterest): MockRuntime {
  const runtime = runtimes.get(mock);
  if (!runtime) throw new TypeError("Expected a mock made by createMockPinterest().");
  return runtime;
}
