import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";

/** The largest JSON file the kit reads: its specs, fixtures, configs and baselines are far smaller. */
export const MAX_JSON_BYTES = 16 * 1024 * 1024;

/**
 * Reads a JSON file; a file that is not JSON is named in the error, and so is one that is no regular file
 * (a FIFO, /dev/zero) or larger than MAX_JSON_BYTES, which is refused before it is read.
 */
export function readJson(file: string): unknown {
  const text = readSmallFile(file, MAX_JSON_BYTES);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** A regular file's text, refused when it is anything else or larger than maxBytes. */
function readSmallFile(file: string, maxBytes: number): string {
  // Opened without blocking, so that a FIFO with no writer is refused rather than waited on.
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new RangeError(`${file} is not a regular file`);
    if (stat.size > maxBytes) throw new RangeError(`${file} is larger than ${maxBytes} bytes (${stat.size})`);
    const buffer = Buffer.alloc(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = readSync(fd, buffer, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read).toString("utf8");
  } finally {
    closeSync(fd);
  }
}
