import { appendFileSync, mkdirSync } from "node:fs";
import { defineConfig } from "vitest/config";

// What tests print (the SDK's own warnings, which many tests provoke on purpose) goes to a file, as the Java
// build's test output does, so the console shows outcomes and failures only.
const consoleFile = "target/test-output.txt";
mkdirSync("target", { recursive: true });
appendFileSync(consoleFile, `--- vitest run at ${new Date().toISOString()}\n`);

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    onConsoleLog(log, type) {
      appendFileSync(consoleFile, `[${type}] ${log}`);
      return false;
    },
  },
});
