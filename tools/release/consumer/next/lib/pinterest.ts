import { createPinterestAuth } from "@pintoken/next";

// Cookie mode; the client, the secret and the mock's URLs come from the environment the test starts `next start` with.
export const pinterest = createPinterestAuth({ scopes: ["user_accounts:read"] });
