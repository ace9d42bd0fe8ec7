import { describe, expect, it } from "vitest";
import { assertOpenApi30 } from "./release.ts";

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
    [{ ...valid, openapi: "3.1.0" }, "openapi.json is OpenAPI 3.1.0; pintoken reads OpenAPI 3.0.x"],
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
