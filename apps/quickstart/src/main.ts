/** `pnpm quickstart`: runs the flow against the mock and exits non-zero if any step fails. */
import { runQuickstart } from "./quickstart.ts";

try {
  await runQuickstart();
} catch (error) {
  console.error(`\nThe quickstart failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
