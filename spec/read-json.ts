import { readFileSync } from "node:fs";

/** Reads a JSON file; a file that is not JSON is named in the error. */
export function readJson(file: string): unknown {
  const text = readFileSync(file, "utf8");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}
