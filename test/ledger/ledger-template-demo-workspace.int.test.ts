/**
 * A demo workspace's ledger, at the path its config resolves to, is filled from the template when
 * first opened (test/support/demo-workspace.ts); one made with `ledgerTemplate: false` runs every
 * migration, and either holds the whole list of this release's migrations.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { appliedMigrations, MIGRATIONS } from '../../ledger/migrate.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { quietLogger } from './backends.js';
import { ledgersFilled } from './migrator-shortcut.js';
import { rawKnex } from './raw-knex.js';

const workspaces: DemoWorkspace[] = [];
afterEach(async () => {
  for (const ws of workspaces.splice(0)) await ws.cleanup();
});

/** Opens the workspace's ledger as a command would, through its config; how many were filled. */
async function openedFilled(ws: DemoWorkspace): Promise<number> {
  const config = await loadConfig({ file: ws.configFile, env: {} });
  expect(config.ledger.url).toBe(`sqlite://${join(ws.dir, 'data', 'ledger.db')}`);
  const before = ledgersFilled();
  await (await openLedger(config.ledger.url, { logger: quietLogger })).close();
  const filled = ledgersFilled() - before;
  const raw = rawKnex(config.ledger.url);
  try {
    expect(await appliedMigrations(raw)).toEqual(MIGRATIONS.map((m) => m.name));
  } finally {
    await raw.destroy();
  }
  return filled;
}

describe('a demo workspace ledger', () => {
  it('is filled from the template by default', async () => {
    const ws = await createDemoWorkspace({ rows: 1 });
    workspaces.push(ws);
    expect(await openedFilled(ws)).toBe(1);
  });

  it('runs every migration with ledgerTemplate: false', async () => {
    const ws = await createDemoWorkspace({ rows: 1, ledgerTemplate: false });
    workspaces.push(ws);
    expect(await openedFilled(ws)).toBe(0);
  });
});
