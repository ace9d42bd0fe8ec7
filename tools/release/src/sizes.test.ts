import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { budgetBytes, measureClientSize } from "../../../packages/react/scripts/size.ts";
import { measureRows, readmePath, readmeRows, renderTable, withTable } from "./sizes.ts";

it("the README's packages table lists every publishable package with its current size (±2%): `pnpm sizes` rewrites it", async () => {
  const measured = await measureRows();
  const written = readmeRows(readFileSync(readmePath, "utf8"));
  const stale = "README.md's packages table is out of date: run `pnpm sizes` (after `pnpm build`)";
  expect(
    written.map(({ bytes: _, ...row }) => row),
    stale,
  ).toEqual(measured.map(({ bytes: _, ...row }) => row));
  for (const [i, row] of measured.entries())
    expect(Math.abs((written[i]?.bytes ?? 0) - row.bytes) / row.bytes, `${stale}: ${row.name}`).toBeLessThanOrEqual(
      0.02,
    );
}, 300_000);

it("reads back the table it writes, and refuses a README without the markers or with a hand-edited row", () => {
  const rows = [
    {
      name: "@pintoken/x",
      link: "packages/x",
      description: "What x is.",
      install: "pnpm add @pintoken/x",
      bytes: 1234,
    },
  ];
  const readme = withTable(`# r\n\n${renderTable([])}\n\nafter\n`, rows);
  expect(readmeRows(readme)).toEqual(rows);
  expect(readme).toContain("1,234 B");
  expect(readme.endsWith("\n\nafter\n")).toBe(true);
  expect(() => readmeRows("# no table")).toThrow(/no packages table/);
  expect(() => readmeRows(readme.replace("1,234 B", "1.2 KB"))).toThrow(/does not read as pnpm sizes writes it/);
});

// Core's budgets are held by core's own size test (packages/core/src/bundle-size.test.ts).
it(`@pintoken/react adds at most ${budgetBytes} B min+gzip to a client bundle`, async () => {
  expect((await measureClientSize()).gzipped).toBeLessThanOrEqual(budgetBytes);
}, 300_000);
