/**
 * `licbridge serve` never migrates the ledger, as `licbridge status` does not: a new release's serve
 * started beside the old release's workers would change the tables under them. It starts anyway,
 * /readyz says why the ledger is not ready, and once a writing process has migrated the ledger serve
 * reads it without a restart.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { startOpsServer } from '../../pipelines/observability/server.js';
import { rawKnex } from '../ledger/raw-knex.js';
import { createDemoWorkspace, type DemoWorkspace, demoConfigYaml } from '../support/demo-workspace.js';
import { until } from '../support/until.js';
import { quietLogger } from './ops-fixtures.js';

const LAST = MIGRATIONS[MIGRATIONS.length - 1] as (typeof MIGRATIONS)[number];
const TOKEN = 'serve-unmigrated-token-7c1e';

interface Readiness {
  ok: boolean;
  checks: { name: string; ok: boolean; error?: string }[];
}

describe('licbridge serve on a ledger not migrated by this release', () => {
  let ws: DemoWorkspace;
  let url: string;
  let raw: Knex | undefined;
  const applied = async (): Promise<string[]> =>
    (await raw?.schema.hasTable('ledger_migrations'))
      ? await (raw as Knex)('ledger_migrations').orderBy('id').pluck('name')
      : [];

  beforeAll(async () => {
    // The release's own migrations, run, make the previous release's ledger: not the template.
    ws = await createDemoWorkspace({ rows: 3, ledgerTemplate: false });
    url = `sqlite://${join(ws.dir, 'data', 'ledger.db')}`;
    // The previous release's ledger: everything but this release's last migration.
    await (await openLedger(url, { logger: quietLogger() })).close();
    raw = rawKnex(url);
    await LAST.down(raw);
    await raw('ledger_migrations').where({ name: LAST.name }).delete();
  });
  afterAll(async () => {
    await raw?.destroy();
    await ws?.cleanup();
  });

  it('starts without migrating, says why the ledger is not ready, and reads it once migrated', async () => {
    const before = await applied();
    expect(before).not.toContain(LAST.name);
    const file = join(ws.dir, 'serve-unmigrated.yaml');
    await writeFile(
      file,
      `${demoConfigYaml({ prefix: ws.prefix, simulatorUrl: ws.simulator.url })}serve: { port: 0, checkSources: false, readyCacheMs: 250, auth: { token: ${TOKEN} } }\nmetrics: { lagIntervalMs: 0 }\n`,
    );
    const server = await startOpsServer(await loadConfig({ file }), quietLogger(), { ledgerRecheckMs: 200 });
    const readyz = async (): Promise<{ status: number; body: Readiness }> => {
      const res = await fetch(`${server.url}/readyz`, { headers: { authorization: `Bearer ${TOKEN}` } });
      return { status: res.status, body: (await res.json()) as Readiness };
    };
    try {
      expect(await applied()).toEqual(before);
      const waiting = await readyz();
      expect(waiting.status).toBe(503);
      const ledger = waiting.body.checks.find((c) => c.name === 'ledger');
      expect(ledger?.ok).toBe(false);
      expect(ledger?.error).toContain(
        `ledger: 1 migration(s) of this release not applied yet (${LAST.name})`,
      );
      const metrics = await fetch(`${server.url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('licbridge_attention{kind="ledger-unmigrated"} 1\n');
      expect(await applied()).toEqual(before);

      // A writing process of the release migrates it; serve reads it from then on.
      await (await openLedger(url, { logger: quietLogger() })).close();
      await until(
        async () => (await readyz()).body.checks.find((c) => c.name === 'ledger')?.ok === true,
        10_000,
      );
    } finally {
      await server.close();
    }
  });
});
