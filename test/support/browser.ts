// A real browser for the pages Roster serves: Debian's chromium, driven headless by playwright-core (which brings no
// browser of its own). CHROMIUM_PATH overrides where it is; .ci/run installs it when missing.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`no chromium at ${CHROMIUM_PATH}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // Chromium refuses to start its sandbox as root, which is how CI runs; elsewhere the sandbox stays on.
    chromiumSandbox: process.getuid?.() !== 0,
  });
}
