// Prints the size of the browser bundle: the browser entry bundled and minified with esbuild, then gzipped.
// Fails when the bundle pulls in anything but the SDK and @bufbuild/protobuf.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const result = await build({
  entryPoints: [`${root}dist/src/index.js`],
  bundle: true,
  minify: true,
  format: "esm",
  platform: "browser",
  write: false,
  metafile: true,
  logLevel: "error",
});
const packages = new Set(Object.keys(result.metafile.inputs)
  .map((path) => path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1])
  .filter((name) => name !== undefined));
const foreign = [...packages].filter((name) => name !== "@bufbuild/protobuf");
const code = result.outputFiles[0].contents;
// `gzip -c | wc -c` where gzip is installed, so that the number matches the README's command; zlib otherwise.
const gzip = spawnSync("gzip", ["-c"], { input: code });
const gzipped = gzip.status === 0 ? gzip.stdout.length : gzipSync(code).length;
console.log(`browser bundle (dist/src/index.js, esbuild --bundle --minify): ${code.length} bytes, ${gzipped} bytes gzipped`);
console.log(`runtime packages in the bundle: ${[...packages].join(", ") || "none"}`);
if (foreign.length > 0) {
  console.error(`the browser bundle must carry no dependency beyond @bufbuild/protobuf: ${foreign.join(", ")}`);
  process.exit(1);
}
