import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const DIR = fileURLToPath(new URL("../../../../spec/vectors/", import.meta.url));

/** The cases of one file of spec/vectors. */
export function vectorCases<T>(file: string): T[] {
  return (JSON.parse(readFileSync(DIR + file, "utf8")) as { cases: T[] }).cases;
}
