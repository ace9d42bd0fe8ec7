/**
 * `pnpm bench`: what @pintoken/core costs against raw fetch and the peer libraries, measured side by side in one run
 * on loopback (127.0.0.1 only), and what it weighs in a browser bundle. Reports medians and ratios; run on demand,
 * never in the test suite.
 */
import { benchRefresh } from "./refresh.ts";
import { benchSize } from "./size.ts";

await benchRefresh();
await benchSize();
console.log(`\nNode ${process.version}.`);
