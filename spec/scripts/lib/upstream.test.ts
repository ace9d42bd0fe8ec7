import { describe, expect, it } from "vitest";
import { assertOpenApi30, upstreamHeader } from "./upstream.ts";

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
  const sha256 = "537bde5a50b181d653840bed4fb4735d753b5be4ce98bc8192de258cee67b142";

  it("names the release by info.version and SHA-256, with nothing that changes from run to run", () => {
    const header = upstreamHeader({ version: "5.23.0", sha256, all: false }).join("\n");
    expect(header).toContain("info.version 5.23.0");
    expect(header).toContain(`sha256 ${sha256}`);
    expect(header).toContain("spec/filter.yaml");
    expect(header).not.toMatch(/\d{4}-\d{2}-\d{2}|\d{2}:\d{2}/);
    expect(upstreamHeader({ version: "5.23.0", sha256, all: true }).join("\n")).toContain("--all");
  });
});
