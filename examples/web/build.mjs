// Builds the demo into the reference server's resources, where `--demo` serves it from:
//   node build.mjs                 writes the bundle there
//   node build.mjs --out DIR       writes it to DIR instead
//   node build.mjs --check         builds into a temporary folder and fails unless the committed bundle is identical
// The SDK is bundled from its TypeScript sources in ../../sdk/typescript, with the dependencies its own lockfile pins
// (run `npm ci && npm run generate` there first).
import * as esbuild from "esbuild";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const SERVED_DIR = resolve(here, "../../reference-server/src/main/resources/dev/presence/server/demo");
const SDK_ENTRY = resolve(here, "../../sdk/typescript/src/index.ts");
/** The server serves exactly the files this lists, one name a line. */
const MANIFEST = "files.txt";

/** @param {string} out the folder to write */
export async function build(out) {
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const common = { bundle: true, minify: true, logLevel: "warning", absWorkingDir: here, charset: "utf8" };
  await esbuild.build({
    ...common,
    entryPoints: { demo: "src/main.ts" },
    outdir: out,
    format: "esm",
    platform: "browser",
    target: "es2022",
    alias: { "@presence/sdk": SDK_ENTRY },
    legalComments: "eof",
  });
  await esbuild.build({ ...common, entryPoints: { demo: "src/demo.css" }, outdir: out });
  await copyFile(join(here, "src/index.html"), join(out, "index.html"));
  const files = (await readdir(out)).filter((name) => name !== MANIFEST).sort();
  await writeFile(join(out, MANIFEST), files.join("\n") + "\n");
  return [...files, MANIFEST];
}

async function check() {
  const fresh = await mkdtemp(join(tmpdir(), "presence-demo-"));
  try {
    const built = await build(fresh);
    const committed = (await readdir(SERVED_DIR).catch(() => [])).sort();
    const problems = [];
    for (const name of new Set([...built, ...committed])) {
      const a = await readFile(join(fresh, name)).catch(() => null);
      const b = await readFile(join(SERVED_DIR, name)).catch(() => null);
      if (a === null) {
        problems.push(`${name}: committed but no longer built`);
      } else if (b === null) {
        problems.push(`${name}: built but not committed`);
      } else if (!a.equals(b)) {
        problems.push(`${name}: differs (${b.length} bytes committed, ${a.length} built)`);
      }
    }
    const where = relative(process.cwd(), SERVED_DIR) || ".";
    if (problems.length > 0) {
      console.error(`The committed demo bundle in ${where} is not what examples/web builds:`);
      for (const p of problems) console.error("  " + p);
      console.error("Run `npm run build` in examples/web and commit the result.");
      process.exitCode = 1;
    } else {
      console.log(`demo bundle check: ${built.length} files in ${where} match a fresh build byte for byte`);
    }
  } finally {
    await rm(fresh, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args.includes("--check")) {
    await check();
  } else {
    const at = args.indexOf("--out");
    const out = at >= 0 ? resolve(args[at + 1]) : SERVED_DIR;
    const files = await build(out);
    console.log(`demo bundle: ${files.join(", ")} in ${relative(process.cwd(), out) || "."}`);
  }
}
