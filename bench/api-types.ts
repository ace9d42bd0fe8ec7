/**
 * `pnpm bench` (third part): what the types of every Pinterest operation cost the apps that install @pintoken/core.
 * Packs core as `pnpm publish` would and installs the tarball with npm into two scratch projects outside the
 * workspace: one that uses only the main entry (OAuth, token manager) and one that also calls the API through
 * `@pintoken/core/api`. Then `tsc` type-checks each, with `skipLibCheck` true and false, in interleaved rounds.
 * Reports the tarball's size, the declarations each project loads, and the median wall and CPU time of each check,
 * with the /api project's ratio to the main-only one. Budget (issue 19): a main-only app's check stays within 2× of
 * what it was before every operation was typed (about 50 KB of declarations then and now).
 */
import { execFile } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const rounds = Number(process.env.BENCH_TYPES_ROUNDS ?? 5);
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const run = promisify(execFile);
const npmCache = process.env.PINTOKEN_NPM_CACHE ?? join(tmpdir(), "pintoken-npm-cache");

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** CPU time (user + system, ms) of every finished child of this process, from /proc/self/stat; `NaN` elsewhere. */
function childrenCpu(): number {
  try {
    const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return Number.NaN;
  }
}

const sources = {
  "main entry only": `import { createPinterestOAuth, createState, createTokenManager, MemoryTokenStore, type TokenSet } from "@pintoken/core";

const oauth = createPinterestOAuth({ clientId: "1500001", clientSecret: "secret", redirectUri: "https://example.com/cb" });
const manager = createTokenManager({ oauth, store: new MemoryTokenStore(), key: "user-1" });
export const url: string = oauth.authorizationUrl({ scopes: ["user_accounts:read"], state: createState() });
export async function signIn(code: string): Promise<string> {
  const tokens: TokenSet = await oauth.exchangeCode({ code });
  await manager.save(tokens);
  return manager.getAccessToken();
}
`,
  "main entry + /api": `import { createPinterestOAuth, createTokenManager, MemoryTokenStore } from "@pintoken/core";
import { createPinterestApi, paginate } from "@pintoken/core/api";

const oauth = createPinterestOAuth({ clientId: "1500001", clientSecret: "secret", redirectUri: "https://example.com/cb" });
const manager = createTokenManager({ oauth, store: new MemoryTokenStore(), key: "user-1" });
const api = createPinterestApi({ manager });
export async function summary(): Promise<string> {
  const { data } = await api.GET("/user_account");
  const { data: pin } = await api.GET("/pins/{pin_id}", { params: { path: { pin_id: "1" } } });
  let boards = 0;
  for await (const _board of paginate(api, "/boards")) boards++;
  return \`\${data?.username}: \${boards} boards, pin \${pin?.id}\`;
}
`,
};
type Project = keyof typeof sources;

const work = await mkdtemp(join(tmpdir(), "pintoken-bench-types-"));
try {
  const { stdout } = await run("pnpm", ["pack", "--json", "--pack-destination", work], {
    cwd: join(root, "packages", "core"),
  });
  const tarball = (JSON.parse(stdout) as { filename: string }).filename;
  const typescript = JSON.parse(readFileSync(join(root, "node_modules/typescript/package.json"), "utf8")).version;
  const dirs = new Map<Project, string>();
  await Promise.all(
    (Object.keys(sources) as Project[]).map(async (project, i) => {
      const dir = join(work, `project-${i}`);
      await mkdir(dir);
      await writeFile(join(dir, "index.ts"), sources[project]);
      await writeFile(
        join(dir, "package.json"),
        JSON.stringify({
          private: true,
          type: "module",
          dependencies: { "@pintoken/core": `file:${tarball}`, typescript },
        }),
      );
      for (const skipLibCheck of [true, false]) {
        const compilerOptions = {
          target: "ES2022",
          module: "ESNext",
          moduleResolution: "bundler",
          lib: ["ES2022", "DOM"],
          types: [],
          strict: true,
          skipLibCheck,
          noEmit: true,
        };
        await writeFile(
          join(dir, `tsconfig.${skipLibCheck}.json`),
          JSON.stringify({ compilerOptions, files: ["index.ts"] }),
        );
      }
      await run(
        "npm",
        ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--prefer-offline", "--cache", npmCache],
        {
          cwd: dir,
        },
      );
      dirs.set(project, dir);
    }),
  );

  const check = async (project: Project, skipLibCheck: boolean) => {
    const dir = dirs.get(project) as string;
    const started = performance.now();
    const cpuBefore = childrenCpu();
    await run(process.execPath, ["node_modules/typescript/lib/tsc.js", "-p", `tsconfig.${skipLibCheck}.json`], {
      cwd: dir,
    });
    return { ms: performance.now() - started, cpu: childrenCpu() - cpuBefore };
  };
  const declarations = async (project: Project) => {
    const dir = dirs.get(project) as string;
    const { stdout: files } = await run(
      process.execPath,
      ["node_modules/typescript/lib/tsc.js", "-p", "tsconfig.true.json", "--listFilesOnly"],
      { cwd: dir },
    );
    return files
      .split("\n")
      .filter((file) => file.includes("/@pintoken/core/"))
      .reduce((sum, file) => sum + statSync(file).size, 0);
  };

  console.log(
    `\n@pintoken/core's declarations in an app's type-check (tarball ${statSync(tarball).size.toLocaleString("en")} B; ` +
      `median of ${rounds} rounds, each tsc a separate process)`,
  );
  for (const skipLibCheck of [true, false]) {
    const samples = new Map<Project, { ms: number[]; cpu: number[] }>();
    const projects = Object.keys(sources) as Project[];
    for (const project of projects) await check(project, skipLibCheck); // warm-up
    for (let round = 0; round < rounds; round++) {
      for (const project of round % 2 ? [...projects].reverse() : projects) {
        const { ms, cpu } = await check(project, skipLibCheck);
        const entry = samples.get(project) ?? { ms: [], cpu: [] };
        entry.ms.push(ms);
        entry.cpu.push(cpu);
        samples.set(project, entry);
      }
    }
    const base = samples.get(projects[0] as Project) as { ms: number[]; cpu: number[] };
    console.log(`  skipLibCheck: ${skipLibCheck}`);
    for (const project of projects) {
      const { ms, cpu } = samples.get(project) as { ms: number[]; cpu: number[] };
      const loaded = await declarations(project);
      console.log(
        `    ${project.padEnd(18)} ${`${(loaded / 1024).toFixed(0)} KB of core's .d.ts`.padStart(26)}` +
          `  ${`${median(ms).toFixed(0)} ms`.padStart(8)} ×${(median(ms) / median(base.ms)).toFixed(2)}` +
          `   CPU ${`${median(cpu).toFixed(0)} ms`.padStart(8)} ×${(median(cpu) / median(base.cpu)).toFixed(2)}`,
      );
    }
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
