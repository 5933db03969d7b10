// `licbridge lifecycle reminders` only lists, but opened the ledger through a Runtime, which
// migrates it: pointed at a SQLite ledger that is not there (a mistyped `ledger.url`), it made a
// new empty ledger and printed no reminders sent and none due, exit 0, read as nothing to send. It
// reads the ledger as the other listings do: refused, naming the file, and no file is made.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_FAILED } from '../../cli/errors.js';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { listReminders } from '../../pipelines/lifecycle/reminder-list.js';
import { createSignWorkspace, runCli, type SignWorkspace } from '../cli/sign-workspace.js';

describe('lifecycle reminders: a SQLite ledger that is not there', () => {
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
    await expect(listReminders(config, createLogger({ level: 'silent' }))).rejects.toThrow(
      /mistyped-ledger\.db is not there/,
    );
    expect(existsSync(missing)).toBe(false);
  });

  it('the command fails naming the file, prints no list, and makes no ledger', async () => {
    const text = await readFile(ws.configFile, 'utf8');
    expect(text).toContain('sqlite://./ledger.db');
    const mistyped = join(ws.dir, 'mistyped.yaml');
    await writeFile(mistyped, text.replace('sqlite://./ledger.db', 'sqlite://./mistyped-ledger.db'));
    const r = await runCli(['lifecycle', 'reminders', '--config', mistyped]);
    expect(r.stderr).toContain('mistyped-ledger.db is not there');
    expect(r.status).toBe(EXIT_FAILED);
    expect(r.stdout).toBe('');
    expect(existsSync(missing)).toBe(false);
  });
});
