// `verify --all` pointed at a SQLite ledger that is not there (a mistyped `ledger.url`): the
// verification opened the ledger with migration on, made a new empty file, and reported its no
// signatures and no files as ok. It reads the ledger as audit verify does: the file is refused,
// named, and none is made.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { verifyLedger } from '../../pipelines/verify/ledger.js';
import { createSignWorkspace, type SignWorkspace } from '../cli/sign-workspace.js';

const logger = createLogger({ level: 'silent' });

describe('verify --all: a SQLite ledger that is not there', () => {
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

  it('is refused, naming the file, and no ledger is made', async () => {
    await expect(verifyLedger(config, {}, logger)).rejects.toThrow(/mistyped-ledger\.db is not there/);
    expect(existsSync(missing)).toBe(false);
  });
});
