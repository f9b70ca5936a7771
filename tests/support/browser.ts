/**
 * Headless Chromium for real-browser tests: Debian's `chromium` driven by playwright-core.
 *
 * @module
 */
import * as fs from "node:fs";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

/** Finds a Chromium binary: `$CHROMIUM_PATH`, else Debian's. */
export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  return candidates.find((c): c is string => !!c && fs.existsSync(c));
}

/** A launched browser (playwright gives it a throwaway profile). */
export interface TestBrowser {
  /** The browser. */
  browser: Browser;
  /** A fresh context (offline when asked). */
  context: BrowserContext;
  /** A page in that context. */
  page: Page;
  /** Messages the page logged as errors, and uncaught page errors. */
  consoleErrors: string[];
  /** URLs the page requested other than file:, data: and blob: ones. */
  externalRequests: string[];
  /** Closes everything. */
  close(): Promise<void>;
}

/**
 * Launches headless Chromium with the flags that keep it quiet on a closed network.
 *
 * @param options `offline: true` cuts the page's network (loopback too); `javaScriptEnabled:
 *   false` shows a page as viewers that run no scripts do.
 * @returns The browser, context and a page.
 * @throws {Error} When no Chromium is installed (with the fix).
 */
export async function launchBrowser(options: { offline?: boolean; javaScriptEnabled?: boolean } = {}): Promise<TestBrowser> {
  const executablePath = chromiumPath();
  if (!executablePath) {
    throw new Error("Chromium was not found: install it (Debian: `apt-get install chromium`) or set CHROMIUM_PATH.");
  }
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    offline: options.offline ?? false,
    javaScriptEnabled: options.javaScriptEnabled ?? true,
  });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") consoleErrors.push(msg.text());
  });
  page.on("pageerror", (err) => consoleErrors.push(String(err)));
  const externalRequests: string[] = [];
  page.on("request", (r) => {
    if (!/^(file|data|blob):/.test(r.url())) externalRequests.push(r.url());
  });
  return {
    browser,
    context,
    page,
    consoleErrors,
    externalRequests,
    async close() {
      await browser.close();
    },
  };
}
