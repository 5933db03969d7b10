/**
 * `licbridge run`, `sign backfill` and `lifecycle run` record the configuration they start with,
 * once; `licbridge audit config` lists the configurations recorded with the parts that changed,
 * and the chain still verifies. The target's HMAC secret, read through a reference, is nowhere in
 * the ledger's audit table.
 */
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { pipelinesToSign, signBackfill } from '../../pipelines/batch-sign/backfill.js';
import { runLifecycle } from '../../pipelines/lifecycle/run-tick.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, DEMO_SECRET, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';

describe('licbridge audit config', () => {
  let ws: DemoWorkspace;
  const cli = (args: string[]) =>
    licbridge([...args, '--config', ws.configFile], { cwd: ws.dir, env: { LICBRIDGE_LOG_LEVEL: 'silent' } });
  const run = async () => {
    const config = await loadConfig({ file: ws.configFile, env: process.env });
    await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
  };

  beforeAll(async () => {
    vi.stubEnv('LICBRIDGE_ACTOR', 'ops-on-duty');
    ws = await createDemoWorkspace({ rows: 6, seed: 5 });
    await run();
    await run();
  }, 120_000);
  afterAll(async () => {
    vi.unstubAllEnvs();
    await ws?.cleanup();
  });

  it('a run records its configuration once; a changed mapping is one more entry naming it', async () => {
    let r = await cli(['audit', 'config', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const first = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ actor: 'operator:ops-on-duty', changed: [], removed: [] });
    expect(first[0].added).toContain(`pipeline:${PIPELINE}`);

    await appendFile(join(ws.dir, 'mappings', 'food-business-license.yaml'), '# reviewed\n');
    await run();
    r = await cli(['audit', 'config']);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/operator:ops-on-duty {2}[0-9a-f]{64} {2}first recorded, \d+ parts$/);
    expect(lines[1]).toMatch(/ {2}mapping:mappings\/food-business-license\.yaml changed$/);
    expect(lines[2]).toBe('audit: 2 configuration change(s) recorded');

    const verified = await cli(['audit', 'verify', '--json']);
    expect(verified.status).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true });
  }, 120_000);

  it('sign backfill records the configuration it starts with, when it changed', async () => {
    const sign = async () => {
      const config = await loadConfig({ file: ws.configFile, env: process.env });
      await signBackfill(config, logger, { pipelines: pipelinesToSign(config, undefined), pageSize: 50 });
    };
    await sign();
    await appendFile(join(ws.dir, 'catalog', 'food-business-license.yaml'), '# reviewed\n');
    await sign();
    await sign();
    const r = await cli(['audit', 'config', '--json']);
    const entries = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(entries.map((e) => e.changed)).toEqual([
      [],
      ['mapping:mappings/food-business-license.yaml'],
      ['catalog:food-business-license.yaml'],
    ]);
  }, 120_000);

  it('lifecycle run records the configuration it starts with, when it changed', async () => {
    const tick = async () => {
      const config = await loadConfig({ file: ws.configFile, env: process.env });
      await runLifecycle(config, { logger, today: '2026-01-05', pipelines: [PIPELINE], idleTimeoutMs: 5000 });
    };
    await appendFile(join(ws.dir, 'mappings', 'food-business-license.yaml'), '# reviewed again\n');
    await tick();
    await tick();
    const r = await cli(['audit', 'config', '--json']);
    const last = r.stdout.trim().split('\n').slice(3);
    expect(last.map((l) => JSON.parse(l).changed)).toEqual([['mapping:mappings/food-business-license.yaml']]);
  }, 120_000);

  it('the target’s secret is not in the audit table', async () => {
    const config = await loadConfig({ file: ws.configFile, env: process.env });
    const ledger = await openLedger(config.ledger.url, { logger, migrate: false });
    try {
      const text = JSON.stringify(await ledger.readAudit({ limit: 100_000 }));
      expect(text).toContain('"action":"config"');
      expect(text).not.toContain(DEMO_SECRET);
    } finally {
      await ledger.close();
    }
  });
});
