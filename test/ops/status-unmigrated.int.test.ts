/**
 * `licbridge status` never migrates the ledger: monitoring running a new release's status while the
 * old release's workers still run would change the tables under them. A ledger lacking this
 * release's migrations is a finding in its own words (exit 3), not "not reachable", and is left as
 * it was.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { rawKnex } from '../ledger/raw-knex.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { licbridge, quietLogger } from './ops-fixtures.js';

const FIRST = MIGRATIONS[0]?.name as string;
const LAST = MIGRATIONS[MIGRATIONS.length - 1] as (typeof MIGRATIONS)[number];
const APPLIES =
  'the first licbridge process of this release that writes (run, worker, …) applies them; see Upgrades in docs/operations.md';

describe('licbridge status on a ledger not migrated by this release', () => {
  let ws: DemoWorkspace;
  let url: string;
  let raw: Knex | undefined;
  const applied = async (): Promise<string[]> =>
    (await raw?.schema.hasTable('ledger_migrations'))
      ? await (raw as Knex)('ledger_migrations').orderBy('id').pluck('name')
      : [];

  beforeAll(async () => {
    // The release's own migrations, run, make the previous release's ledger: not the template.
    ws = await createDemoWorkspace({ rows: 5, ledgerTemplate: false });
    url = `sqlite://${join(ws.dir, 'data', 'ledger.db')}`;
  });
  afterAll(async () => {
    await raw?.destroy();
    await ws?.cleanup();
  });

  it('a new ledger: every migration pending, none applied by the look', async () => {
    const r = await licbridge(['status', '--no-sources', '--config', ws.configFile]);
    expect(r.status).toBe(3);
    // Not there yet (before the first run), the file is named and not made by the look.
    const file = url.slice('sqlite://'.length);
    expect(r.stdout).toContain(
      `  - ledger: ${MIGRATIONS.length} migration(s) of this release not applied yet (${FIRST} … ${LAST.name}): the first licbridge process of this release that writes (run, worker, …) creates it; SQLite file ${file} is not there, and a process that only reads the ledger (status, serve, audit, verify) creates none: check ledger.url if one has run already; see Upgrades in docs/operations.md\n`,
    );
    expect(existsSync(file)).toBe(false);
    expect(r.stdout).not.toContain('ledger: not reachable');
    raw = rawKnex(url);
    expect(await applied()).toEqual([]);
  });

  it("the previous release's ledger: its last migration pending, still so after the look", async () => {
    await raw?.destroy();
    await (await openLedger(url, { logger: quietLogger() })).close();
    raw = rawKnex(url);
    await LAST.down(raw);
    await raw('ledger_migrations').where({ name: LAST.name }).delete();
    const before = await applied();

    const r = await licbridge(['status', '--no-sources', '--config', ws.configFile]);
    expect(r.status).toBe(3);
    expect(r.stdout).toContain(
      `  - ledger: 1 migration(s) of this release not applied yet (${LAST.name}): ${APPLIES}\n`,
    );
    expect(r.stdout).not.toContain('ledger: not reachable');
    const json = JSON.parse(
      (await licbridge(['status', '--json', '--no-sources', '--config', ws.configFile])).stdout,
    ) as { attention: string[]; attentionByKind: Record<string, number> };
    expect(Object.entries(json.attentionByKind).filter(([, n]) => n > 0)).toEqual([['ledger-unmigrated', 1]]);
    expect(json.attention).toContain(
      `ledger: 1 migration(s) of this release not applied yet (${LAST.name}): ${APPLIES}`,
    );
    expect(await applied()).toEqual(before);
    expect(before).not.toContain(LAST.name);
  });

  it('once a writing process migrated it, the finding is gone', async () => {
    await (await openLedger(url, { logger: quietLogger() })).close();
    const r = await licbridge(['status', '--no-sources', '--config', ws.configFile]);
    expect(r.stdout).not.toMatch(/^ {2}- ledger: /m);
    expect(r.stdout).toContain('pipeline food-business-licenses');
  });
});
