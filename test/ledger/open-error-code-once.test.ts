/**
 * A ledger that cannot be opened names the failure's code once. Node's file errors begin with
 * their code (`ENOENT: no such file or directory, open '…'`), and the ledger's error put the code
 * before them again: a PostgreSQL URL whose `sslrootcert` names no file read `ledger: open failed:
 * ENOENT: ENOENT: no such file …`. Nothing listens on the port: the file is read before any connect.
 */
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedger } from '../../ledger/open-ledger.js';
import { quietLogger } from './backends.js';

async function openError(url: string): Promise<Error> {
  const got = await openLedger(url, { logger: quietLogger, retryBudgetMs: 0 }).then(
    async (ledger) => {
      await ledger.close();
      return undefined;
    },
    (e: unknown) => e,
  );
  if (!(got instanceof Error)) throw new Error(`expected ${url} not to open`);
  return got;
}

describe('a ledger that cannot be opened for want of a file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lb-open-code-once-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("PostgreSQL's sslrootcert naming no file: ENOENT said once", async () => {
    const ca = join(dir, 'no-ca.pem');
    const error = await openError(`postgres://lb@127.0.0.1:1/lb?sslmode=verify-full&sslrootcert=${ca}`);
    expect(error).toMatchObject({ code: 'LB_LEDGER' });
    expect(error.message).toBe(`ledger: open failed: ENOENT: no such file or directory, open '${ca}'`);
  });

  it('a SQLite file that is a link to nowhere: ENOENT said once, the file named', async () => {
    const file = join(dir, 'ledger.db');
    await symlink(join(dir, 'gone', 'ledger.db'), file);
    const error = await openError(`sqlite://${file}`);
    expect(error).toMatchObject({ code: 'LB_LEDGER' });
    expect(error.message).toContain(
      `SQLite file ${file}: ENOENT: no such file or directory, open '${file}';`,
    );
  });
});
