import { describe, expect, it } from "vitest";
import { assertOpenApi30, sourceLabel, upstreamHeader } from "./upstream.ts";

const valid = { openapi: "3.0.3", info: { title: "Pinterest REST API", version: "5.23.0" }, paths: { "/a": {} } };

describe("assertOpenApi30", () => {
  it("accepts an OpenAPI 3.0.x description", () => {
    expect(() => assertOpenApi30(valid, "openapi.json")).not.toThrow();
    expect(() => assertOpenApi30({ ...valid, openapi: "3.0.0" }, "openapi.json")).not.toThrow();
  });

  it.each([
    [
      { swagger: "2.0", info: valid.info, paths: valid.paths },
      "openapi.json is a Swagger 2.0 document, not OpenAPI 3.0.x",
    ],
    [{ ...valid, openapi: "3.1.0" }, "openapi.json is OpenAPI 3.1.0; the pipeline reads OpenAPI 3.0.x"],
    [{ overlay: "1.0.0", actions: [] }, "openapi.json is an OpenAPI Overlay, not an OpenAPI description"],
    [
      { name: "pintoken", version: "1.0.0" },
      "openapi.json does not look like an OpenAPI description: it has no `openapi` field",
    ],
    [{ openapi: "3.0.3", paths: valid.paths }, "openapi.json has no info.version"],
    [{ openapi: "3.0.3", info: valid.info, paths: {} }, "openapi.json has no paths"],
  ])("rejects %j", (doc, message) => {
    expect(() => assertOpenApi30(doc, "openapi.json")).toThrow(message);
  });

  it("says which file to pass instead", () => {
    expect(() => assertOpenApi30({ swagger: "2.0" }, "x.json")).toThrow("pinterest/api-description");
  });
});

describe("upstream header", () => {
  it("names a local file by its name only, and a URL in full", () => {
    expect(sourceLabel("/home/someone/Downloads/openapi.json")).toBe("openapi.json");
    expect(sourceLabel("https://example.com/v5/openapi.json")).toBe("https://example.com/v5/openapi.json");
  });

  it("names the source and info.version, without anything that changes between runs", () => {
    const header = upstreamHeader({ source: "/tmp/a/openapi.json", version: "5.23.0", all: false });
    expect(header).toContain("Source: openapi.json");
    expect(header).toContain("Upstream version (info.version): 5.23.0");
    expect(header.join("\n")).toContain("spec/filter.yaml");
    expect(header.join("\n")).not.toMatch(/\d{4}-\d{2}-\d{2}|\d{2}:\d{2}/);
    expect(upstreamHeader({ source: "/tmp/a/openapi.json", version: "5.23.0", all: true }).join("\n")).toContain(
      "--all",
    );
  });
});
