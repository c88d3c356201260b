import type { TestProject } from "vitest/node";

import { startServer } from "./server.js";

declare module "vitest" {
  export interface ProvidedContext {
    crmUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startServer();
  project.provide("crmUrl", server.url);
  return () => server.stop();
}
