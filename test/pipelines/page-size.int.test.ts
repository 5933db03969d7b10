import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { Runtime } from '../../pipelines/runtime.js';
import { extractPipeline } from '../../pipelines/stages/extract.js';
import { createDemoWorkspace, type DemoWorkspace, demoConfigYaml } from '../support/demo-workspace.js';

// A page is the unit of progress, so the page size a user sets must be the one the read uses:
// the pipeline's own, else the source's, else the source schema's default (500).
describe('page size: pipeline, then source, then default', () => {
  let ws: DemoWorkspace | undefined;
  afterEach(async () => {
    await ws?.cleanup();
    ws = undefined;
  });

  async function pagesRead(
    edit: (yaml: string) => string,
  ): Promise<{ pages: number; read: number; pageSize: number }> {
    ws ??= await createDemoWorkspace({ rows: 12 });
    const yaml = edit(demoConfigYaml({ prefix: ws.prefix, simulatorUrl: ws.simulator.url }));
    await writeFile(ws.configFile, yaml);
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const runtime = new Runtime(config, createLogger({ level: 'silent' }));
    try {
      const parts = await runtime.pipeline('food-business-licenses');
      const ledger = await runtime.ledger();
      const runId = randomUUID();
      await ledger.startRun({ runId, pipeline: parts.name, mode: 'full' });
      const totals = await extractPipeline(parts, ledger, {
        runId,
        full: true,
        onPage: async () => {},
        logger: runtime.logger,
      });
      return { pages: totals.pages, read: totals.read, pageSize: parts.config.pageSize };
    } finally {
      await runtime.close();
    }
  }

  it("takes the source's pageSize when the pipeline sets none", async () => {
    const r = await pagesRead((y) =>
      y.replace('    pageSize: 100\n', '').replace('trim: all }', 'trim: all, pageSize: 5 }'),
    );
    expect(r).toEqual({ pages: 3, read: 12, pageSize: 5 });
  });

  it("prefers the pipeline's pageSize over the source's", async () => {
    const r = await pagesRead((y) =>
      y
        .replace('    pageSize: 100\n', '    pageSize: 4\n')
        .replace('trim: all }', 'trim: all, pageSize: 5 }'),
    );
    expect(r).toEqual({ pages: 3, read: 12, pageSize: 4 });
  });

  it('falls back to the schema default when neither sets one', async () => {
    const r = await pagesRead((y) => y.replace('    pageSize: 100\n', ''));
    expect(r).toEqual({ pages: 1, read: 12, pageSize: 500 });
  });
});
