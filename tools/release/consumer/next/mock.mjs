/**
 * Starts the mock Pinterest of the installed @pintoken/mock on loopback, with the app's callback registered, prints
 * its URLs as one JSON line, and runs until it is killed.
 */
import { mockClient } from "@pintoken/mock";
import { startMockPinterest } from "@pintoken/mock/server";

const appOrigin = process.argv[2];
const mock = await startMockPinterest({
  port: 0,
  clients: [{ ...mockClient, redirectUris: [`${appOrigin}/api/pinterest/callback`] }],
});
process.stdout.write(
  `${JSON.stringify({ apiBaseUrl: mock.apiBaseUrl, authorizationEndpoint: mock.authorizationEndpoint, clientId: mockClient.clientId, clientSecret: mockClient.clientSecret })}\n`,
);
process.on("SIGTERM", () => mock.close().then(() => process.exit(0)));
