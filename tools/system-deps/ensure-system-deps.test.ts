/**
 * The system-dependency step against fakes of the three programs it calls (`id`, `dpkg-query`, `apt-get`), with a PATH
 * that holds nothing else: what it does when everything is installed, when packages are missing and it runs as root
 * (apt-get installs exactly those), and when it runs as a user (one line with the command to run, exit 1).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, expect, it } from "vitest";

const script = fileURLToPath(new URL("./ensure-system-deps.sh", import.meta.url));
const all = ["redis-server", "postgresql", "chromium"];
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A directory of fake programs, the only one on the PATH. */
function fakeMachine(options: { uid: number; installed: string[]; dpkg?: boolean; aptFails?: boolean }) {
  const dir = mkdtempSync(join(tmpdir(), "pintoken-system-deps-"));
  dirs.push(dir);
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    chmodSync(join(dir, name), 0o755);
  };
  writeFileSync(join(dir, "installed"), options.installed.map((p) => `${p}\n`).join(""));
  writeFileSync(join(dir, "apt.log"), "");
  file("id", `#!/bin/sh\n[ "$1" = "-u" ] && echo ${options.uid}\n`);
  if (options.dpkg !== false)
    // dpkg-query -W -f='${Status}' <package>: the status when the package is in ./installed, else an error.
    file(
      "dpkg-query",
      `#!/bin/sh
for package; do :; done
while read -r line; do
  if [ "$line" = "$package" ]; then printf 'install ok installed'; exit 0; fi
done < "${dir}/installed"
echo "dpkg-query: no packages found matching $package" >&2
exit 1
`,
    );
  // apt-get logs each call (with DEBIAN_FRONTEND) and "installs" the packages it is given.
  file(
    "apt-get",
    `#!/bin/sh
echo "DEBIAN_FRONTEND=\${DEBIAN_FRONTEND:-} apt-get $*" >> "${dir}/apt.log"
${options.aptFails ? "exit 100" : ""}
if [ "$1" = "install" ]; then
  for arg; do case "$arg" in -*|install) ;; *) echo "$arg" >> "${dir}/installed" ;; esac; done
fi
exit 0
`,
  );
  const run = () => {
    const result = spawnSync("/bin/sh", [script], { env: { PATH: dir }, encoding: "utf8" });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const aptCalls = () => readFileSync(join(dir, "apt.log"), "utf8").split("\n").filter(Boolean);
  return { run, aptCalls };
}

it("does nothing when every package is installed", () => {
  const machine = fakeMachine({ uid: 0, installed: all });
  expect(machine.run()).toEqual({ status: 0, stdout: "", stderr: "" });
  expect(machine.aptCalls()).toEqual([]);
});

it("as root, installs exactly the missing packages with apt-get, non-interactively, after an update", () => {
  const machine = fakeMachine({ uid: 0, installed: ["chromium"] });
  const { status, stderr } = machine.run();
  expect(status).toBe(0);
  expect(machine.aptCalls()).toEqual([
    "DEBIAN_FRONTEND=noninteractive apt-get update -qq",
    "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server postgresql",
  ]);
  expect(stderr).toContain("redis-server postgresql");
  // A second run finds them installed and calls nothing.
  expect(machine.run().status).toBe(0);
  expect(machine.aptCalls()).toHaveLength(2);
});

it("as root, fails with a clear line when apt-get fails", () => {
  const machine = fakeMachine({ uid: 0, installed: [], aptFails: true });
  const { status, stderr } = machine.run();
  expect(status).toBe(1);
  expect(stderr).toMatch(/apt-get could not install redis-server postgresql chromium/);
});

it("as a user, prints one line with the exact command to run, installs nothing, and exits 1", () => {
  const machine = fakeMachine({ uid: 1000, installed: ["redis-server"] });
  const { status, stdout, stderr } = machine.run();
  expect(status).toBe(1);
  expect(stdout).toBe("");
  expect(stderr.trim().split("\n")).toHaveLength(1);
  expect(stderr).toContain(
    "`sudo apt-get update && sudo apt-get install -y --no-install-recommends postgresql chromium`",
  );
  expect(machine.aptCalls()).toEqual([]);
});

it("without dpkg (not Debian/Ubuntu), looks for the programs and names what is missing", () => {
  const machine = fakeMachine({ uid: 0, installed: [], dpkg: false });
  const { status, stderr } = machine.run();
  expect(status).toBe(1);
  expect(stderr.trim().split("\n")).toHaveLength(1);
  expect(stderr).toMatch(/need redis-server.*install them with your system's package manager/);
  expect(machine.aptCalls()).toEqual([]);
});

it("runs first in the root test script, and .ci/run calls exactly the README's test command", () => {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> };
  expect(manifest.scripts.test?.startsWith("sh tools/system-deps/ensure-system-deps.sh && ")).toBe(true);
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const testCommand = /# Run the whole test suite[^\n]*\n([^\n]+)/.exec(readme)?.[1];
  expect(testCommand).toBe("npx -y pnpm@12.4.2 install && npx -y pnpm@12.4.2 test");
  const ciLines = readFileSync(join(root, ".ci/run"), "utf8").split("\n");
  const commands = ciLines.filter((line) => line.includes("pnpm") && !line.startsWith("#"));
  expect(commands).toEqual([testCommand]);
});
