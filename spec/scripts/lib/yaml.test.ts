import fc from "fast-check";
import { dump } from "js-yaml";
import { describe, expect, it } from "vitest";
import { loadRelease } from "../../test/helpers.ts";
import { parseDocument } from "./document.ts";
import { writeYaml } from "./yaml.ts";

/** What writeYaml must match: js-yaml's own output with the options the pipeline always used. */
const jsYaml = (value: unknown) => dump(value, { lineWidth: -1, noRefs: true });

/** Strings made of what makes YAML scalars hard: indicators, quotes, line breaks, YAML 1.1 words, numbers, dates. */
const awkwardString = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: "binary" }),
  // biome-ignore format: a table of strings
  fc.constantFrom(
    "", " ", "yes", "No", "on", "OFF", "y", "~", "null", "Null", "true", "FALSE", "<<", "1", "-1", "0x1F", "0o17",
    "0b101", "1_000", "1e3", "1.5", ".5", ".inf", "-.INF", ".nan", "12:30:45", "190:20:30", "2001-12-14",
    "2001-12-14t21:59:43.10-05:00", "#/components/schemas/Pin", "- item", "? key", ": value", "a: b", "a #b", "a#b",
    "key:", "'quoted'", '"double"', "|", ">", "&anchor", "*alias", "!tag", "%directive", "@at", "`tick", "{}", "[]",
    "a\nb", "a\n", "a\n\n", "\n", "\n\nlead", " leading space\nsecond", "trailing space ", "tab\tinside", "cr\rlf",
    "line\u2028separator", "nbsp\u00a0", "bom\ufeff", "emoji 😀", "lone \ud800 surrogate", "nul\u0000", "bell\u0007",
    "x".repeat(1100),
  ),
  fc
    .array(fc.constantFrom("a", " ", "\n", ":", "#", "-", "'", '"', "\t", "1", "é", "😀", "\\", "|", ">"), {
      maxLength: 12,
    })
    .map((parts) => parts.join("")),
);

const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    awkwardString,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(0, -0, 1e21, 5e-100, 1.5e300, -2.5e-7, Number.MAX_SAFE_INTEGER),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(awkwardString, tie("value"), { maxKeys: 4 }),
  ),
})).value;

describe("writeYaml", () => {
  it("writes Pinterest's whole release byte for byte as js-yaml does, and reads back as the same", async () => {
    const { doc } = await loadRelease();
    const yaml = writeYaml(doc);
    expect(yaml).toBe(jsYaml(doc));
    expect(parseDocument(yaml)).toEqual(doc);
  });

  it("writes any JSON value byte for byte as js-yaml does", () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(writeYaml(value)).toBe(jsYaml(value));
      }),
      { numRuns: 3000 },
    );
  });

  it("leaves out undefined members and writes undefined array items as null, as js-yaml does", () => {
    const value = { a: undefined, b: [undefined, 1], c: { d: undefined }, e: [] as unknown[], f: {} };
    expect(writeYaml(value)).toBe(jsYaml(value));
    expect(writeYaml(value)).toBe("b:\n  - null\n  - 1\nc: {}\ne: []\nf: {}\n");
  });

  it("refuses values JSON cannot hold, naming them", () => {
    expect(() => writeYaml({ when: new Date(0) })).toThrow("Cannot write [object Date] as YAML: only JSON values.");
    expect(() => writeYaml({ run: () => {} })).toThrow("[object Function]");
  });
});
