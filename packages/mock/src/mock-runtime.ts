import type { MockConfig } from "./options.ts";
import type { RecordedCall } from "./recorder.ts";
import type { ScenarioQueue } from "./scenarios.ts";
import type { TokenStore } from "./token-store.ts";

/** The state one mock's handlers share. */
export interface MockRuntime {
  readonly config: MockConfig;
  readonly store: TokenStore;
  readonly scenarios: ScenarioQueue;
  readonly record: (call: RecordedCall) => void;
}
