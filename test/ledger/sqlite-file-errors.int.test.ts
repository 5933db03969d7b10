/**
 * A SQLite ledger whose file cannot be made or opened fails with `LB_LEDGER` naming the file,
 * whatever the reason: a folder on the path that is a file, or the path itself a folder.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedger } from '../../ledger/open-ledger.js';
import { quietLogger } from './backends.js';

async function openError(url: string): Promise<unknown> {
  return openLedger(url, { logger: quietLogger }).then(
    async (ledger) => {
      await ledger.close();
      return undefined;
    },
    (e: unknown) => e,
  );
}

describe('a SQLite ledger file that cannot be opened', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lb-ledger-file-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('under a path through a regular file: LB_LEDGER naming the file', async () => {
    const blocker = join(dir, 'not-a-folder');
    await writeFile(blocker, 'x');
    const file = join(blocker, 'data', 'ledger.db');
    const error = await openError(`sqlite://${file}`);
    expect(error).toMatchObject({ code: 'LB_LEDGER' });
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(/ENOTDIR/);
  });

  it('at a path that is a folder: LB_LEDGER naming it', async () => {
    const error = await openError(`sqlite://${dir}`);
    expect(error).toMatchObject({ code: 'LB_LEDGER' });
    expect((error as Error).message).toContain(`SQLite file ${dir}:`);
    expect((error as Error).message).toMatch(/SQLITE_CANTOPEN/);
  });
});
