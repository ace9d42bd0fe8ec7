/**
 * Helpers the workspace's test suites share (private: never published). One place for each, so that the suites that
 * start servers on loopback, or move time by hand, do it the same way.
 *
 * @module
 */
export type { TestServer } from "./child-server.ts";
export { freePort } from "./free-port.ts";
export { findPostgresBin, type PostgresServer, startPostgres } from "./postgres-server.ts";
export { type RedisServer, startRedisServer } from "./redis-server.ts";
export { type TestClock, testClock } from "./test-clock.ts";
