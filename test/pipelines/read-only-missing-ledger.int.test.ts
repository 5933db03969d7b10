// The commands that only read the ledger (verify --all; dlq list, dlq show, quarantine list,
// quarantine show, objection list) pointed at a SQLite ledger that is not there (a mistyped
// `ledger.url`): each made a new empty ledger, and verify reported its no signatures and no files
// ok, the listings their empty lists as nothing to do, exit 0. They read the ledger as status does:
// refused, naming the file, and no file is made.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { findDeadLetter, listDeadLetters } from '../../pipelines/dead-letters.js';
import { listObjectionsFor } from '../../pipelines/lifecycle/objections.js';
import { quarantineKeyHistory, quarantineWorklist } from '../../pipelines/quarantine-list.js';
import { verifyLedger } from '../../pipelines/verify/ledger.js';
import { createSignWorkspace, type SignWorkspace } from '../cli/sign-workspace.js';

describe('commands that only read: a SQLite ledger that is not there', () => {
  let ws: SignWorkspace;
  let config: Readonly<Config>;
  let missing = '';
  beforeAll(async () => {
    ws = await createSignWorkspace();
    const loaded = await loadConfig({ file: ws.configFile, env: {} });
    missing = join(ws.dir, 'mistyped-ledger.db');
    config = { ...loaded, ledger: { ...loaded.ledger, url: `sqlite://${missing}` } };
  });
  afterAll(async () => {
    await ws?.cleanup();
  });

  const listings: [string, () => Promise<unknown>][] = [
    ['verify --all', () => verifyLedger(config, {}, createLogger({ level: 'silent' }))],
    ['dlq list', () => listDeadLetters(config, { limit: 10 })],
    ['dlq show', () => findDeadLetter(config, '1:province')],
    ['quarantine list', () => quarantineWorklist(config, {})],
    ['quarantine show', () => quarantineKeyHistory(config, { sourceKey: 'K1' })],
    ['objection list', () => listObjectionsFor(config)],
  ];
  for (const [name, list] of listings) {
    it(`${name} is refused, naming the file, and no ledger is made`, async () => {
      await expect(list()).rejects.toThrow(/mistyped-ledger\.db is not there/);
      expect(existsSync(missing)).toBe(false);
    });
  }
});
