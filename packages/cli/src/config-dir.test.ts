import { homedir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { defaultConfigDir } from "./config-dir.ts";

it("follows each platform's convention, and PINTOKEN_CONFIG_DIR over all", () => {
  expect(defaultConfigDir({}, "linux")).toBe(join(homedir(), ".config", "pintoken"));
  expect(defaultConfigDir({ XDG_CONFIG_HOME: "/xdg" }, "linux")).toBe(join("/xdg", "pintoken"));
  expect(defaultConfigDir({ XDG_CONFIG_HOME: "relative" }, "linux")).toBe(join(homedir(), ".config", "pintoken"));
  expect(defaultConfigDir({}, "darwin")).toBe(join(homedir(), "Library", "Application Support", "pintoken"));
  expect(defaultConfigDir({ APPDATA: "C:\\Users\\ada\\AppData\\Roaming" }, "win32")).toBe(
    join("C:\\Users\\ada\\AppData\\Roaming", "pintoken"),
  );
  expect(defaultConfigDir({ PINTOKEN_CONFIG_DIR: "/srv/pintoken", XDG_CONFIG_HOME: "/xdg" }, "linux")).toBe(
    "/srv/pintoken",
  );
});
