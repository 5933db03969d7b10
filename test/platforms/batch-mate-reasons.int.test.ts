/**
 * A platform checking a batch for duplicates refuses one record naming the other one it clashes
 * with (`与 欧阳秀英 的证照编号重复`). A rejection's reasons are kept with that license's own personal
 * values masked; the holder of a batch-mate it names is personal data too, and must not end in
 * the dead letter (ledger), the job (Redis) or a log line either.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { createDemoWorkspace } from '../support/demo-workspace.js';
import { startScriptedServer } from './scripted-server.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

describe('a rejection naming the holder of another license of the batch', () => {
  it('is a dead letter with that holder masked too', async () => {
    const ws = await createDemoWorkspace({ rows: 20 });
    closers.push(() => ws.cleanup().catch(() => undefined));
    // Every record refused as a duplicate of the next one in its batch, naming that one's holder.
    const platform = await startScriptedServer((_n, req) => {
      const items =
        (JSON.parse(req.body) as { items?: { key: string; license: { czzt?: string } }[] }).items ?? [];
      return {
        status: 200,
        body: {
          code: 0,
          results: items.map((i, n) => ({
            key: i.key,
            status: 'rejected',
            errors: [`与 ${items[(n + 1) % items.length]?.license.czzt} 的证照编号重复`],
          })),
        },
      };
    });
    closers.push(() => platform.close());
    const yaml = (await readFile(ws.configFile, 'utf8')).replace(ws.simulator.url, platform.url);
    const file = join(ws.dir, 'duplicates.yaml');
    await writeFile(file, yaml);
    const config = await loadConfig({ file, env: {} });
    const [s] = await runPipelines(config, {
      pipelines: ['food-business-licenses'],
      full: false,
      logger: createLogger({ level: 'silent' }),
    });
    expect(s?.deadLettered.province).toBe(20);

    const legacy = new Database(ws.legacyDb, { readonly: true });
    const holders = (legacy.prepare('SELECT TRIM(JYZMC) a FROM T_SPXK_XKZ').all() as { a: string | null }[])
      .map((r) => r.a)
      .filter((v): v is string => typeof v === 'string' && v.length >= 2);
    legacy.close();
    expect(holders.length).toBeGreaterThan(1);

    const ledger = new Database(join(ws.dir, 'data', 'ledger.db'), { readonly: true });
    const reasons = (
      ledger.prepare("SELECT reasons FROM deliveries WHERE state = 'dead'").all() as { reasons: string }[]
    )
      .map((r) => r.reasons)
      .join('\n');
    ledger.close();
    expect(reasons).toContain('的证照编号重复');
    expect(holders.filter((v) => reasons.includes(v))).toEqual([]);
  }, 90_000);
});
