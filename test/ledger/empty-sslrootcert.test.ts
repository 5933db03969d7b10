/**
 * node-postgres reads `sslrootcert` into `ssl.ca` as it is, and Node reads an empty `ca` as none:
 * a ledger URL naming an empty CA file would trust the public roots instead of that CA. It is
 * refused before any connection, naming `sslrootcert` and the file.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLicbridgeError } from '../../core/errors.js';
import { openLedger } from '../../ledger/open-ledger.js';

// Nothing listens on port 1: were the URL not refused, the open would fail otherwise.
const url = (rootcert: string) =>
  `postgres://lb@127.0.0.1:1/ledger?sslmode=verify-full&sslrootcert=${encodeURIComponent(rootcert)}`;

const refusal = (u: string): Promise<unknown> =>
  openLedger(u, { retryBudgetMs: 0 }).then(
    async (ledger) => {
      await ledger.close();
      return undefined;
    },
    (e: unknown) => e,
  );

describe('a PostgreSQL ledger URL whose sslrootcert holds nothing', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lb-rootcert-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is refused for an empty file, naming sslrootcert and the file', async () => {
    const file = join(dir, 'empty-ca.pem');
    await writeFile(file, '');
    const e = await refusal(url(file));
    if (!isLicbridgeError(e)) throw new Error(`expected a LicbridgeError, got ${String(e)}`);
    expect(e.code).toBe('LB_CONFIG_INVALID');
    expect(e.message).toContain('`sslrootcert`');
    expect(e.message).toContain(file);
    expect(e.message).toContain('public roots');
  });

  it('is refused for a file of blank lines', async () => {
    const file = join(dir, 'blank-ca.pem');
    await writeFile(file, '\n  \n');
    const e = await refusal(url(file));
    expect(isLicbridgeError(e) && e.message).toContain(file);
  });

  it('is refused for `sslrootcert=` with no file', async () => {
    const e = await refusal(url(''));
    expect(isLicbridgeError(e) && e.message).toContain('`sslrootcert` to name a file');
  });
});
