import { pinterest } from "./pinterest";

/** Which Pinterest the app talks to, for the badge in the header. */
export interface PinterestTarget {
  kind: "mock" | "sandbox" | "pinterest";
  apiBaseUrl: string;
  /** The API's origin (the mock serves its consent page there too). */
  origin: string;
}

const loopback = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Reads the API base URL the route handler uses (at request time: during `next build` it is not configured). */
export function pinterestTarget(): PinterestTarget {
  const apiBaseUrl = pinterest.oauth.baseUrl;
  const { hostname, origin } = new URL(apiBaseUrl);
  const kind = loopback.has(hostname) ? "mock" : hostname.startsWith("api-sandbox.") ? "sandbox" : "pinterest";
  return { kind, apiBaseUrl, origin };
}
