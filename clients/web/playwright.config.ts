import { defineConfig } from '@playwright/test';

// The system Chromium (Debian's `chromium`), never a downloaded one
// (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1; no `playwright install`).
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run',
  '--enable-unsafe-swiftshader', // WebGL (the relationship graph) in headless runs
];

export default defineConfig({
  testDir: './e2e',
  globalSetup: './e2e/global-setup.ts',
  // One worker: the tests share one server and its demo data, and some of them move cards.
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    baseURL: process.env.E2E_BASE_URL,
    launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
    trace: 'off',
    screenshot: 'only-on-failure',
    viewport: { width: 1280, height: 800 },
  },
});
