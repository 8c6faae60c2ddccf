import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Test } from "tap";
import type { Page } from "playwright-core";
import { packageRoot } from "../../spec/paths.js";

/** Debian's Chromium, which test/install-browser.sh installs. */
const chromium = "/usr/bin/chromium";
// CI runs test/install-browser.sh, which installs the browser wherever it can (as root) and otherwise
// leaves the reason in .browser-unavailable: a browser missing without a reason is a failure in CI.
const unavailable = path.join(packageRoot, ".browser-unavailable");
const installable = process.env.CI !== undefined && process.getuid?.() === 0;

/** Why the browser tests are skipped here, or undefined when they run. */
export const noBrowser = existsSync(chromium)
  ? undefined
  : existsSync(unavailable)
    ? `no ${chromium}: ${readFileSync(unavailable, "utf8").trim()}`
    : installable
      ? undefined
      : `no ${chromium}: run test/install-browser.sh to render HTML reports in a browser`;

/** Chromium on a closed network: no background connections, no first-run work. */
const browserArgs = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/** A page of headless Chromium, closed with the test. */
export async function browserPage(t: Test): Promise<Page> {
  const { chromium: launcher } = await import("playwright-core");
  const browser = await launcher.launch({ executablePath: chromium, args: browserArgs });
  t.teardown(() => browser.close());
  return browser.newPage();
}

/**
 * The browser globals the tests use in a page's functions (the kit compiles without the DOM library):
 * `(globalThis as unknown as BrowserWindow).getComputedStyle(element)`.
 */
export type BrowserWindow = { getComputedStyle(element: unknown): { backgroundColor: string; width: string } };
