import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createDemoWorkspace, type DemoWorkspace } from './demo-workspace.js';

export interface DemoConfig {
  ws: DemoWorkspace;
  /** The workspace's config, loaded without the process environment. */
  config: Readonly<Config>;
}

/**
 * A demo workspace of `rows` rows and its config, made before the tests of the calling file or
 * `describe` block and removed after them; for tests that open their own runtime and queues
 * (test/support/demo-runtime.ts opens them for the rest). Read the fields once `beforeAll` has run.
 */
export function demoConfig(rows: number): DemoConfig {
  const demo = {} as DemoConfig;
  beforeAll(async () => {
    demo.ws = await createDemoWorkspace({ rows });
    demo.config = await loadConfig({ file: demo.ws.configFile, env: {} });
  }, 60_000);
  afterAll(async () => {
    await demo.ws?.cleanup();
  });
  return demo;
}
