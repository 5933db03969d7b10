/**
 * `config check --connect` named any failure of its front database's check, but a statement out
 * of its time, 'reaching the front database': a database that took the connection and refused the
 * check's statement (a SQLite file that is no database, SQLITE_NOTADB) read as one never reached,
 * where a send to the same database names the step it failed at since 39d86a58 ('checking
 * exchange table UP_LIC_DATA failed (SQLITE_NOTADB)'). The check now names it as a send does.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { isLicbridgeError } from '../../core/errors.js';
import { failure } from './auth-strategy-fault.js';
import { frontDbConfig } from './front-db-fixtures.js';
import { deliveryItem } from './license-fixture.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

describe('front-db: config check --connect on a database that refuses the check', () => {
  it('names the exchange table checked, as a send to it does', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'front-db-notadb-'));
    closers.push(() => rm(dir, { recursive: true, force: true }));
    const path = join(dir, 'front.db');
    await writeFile(path, 'not a database, but a text file that only has its name'.repeat(40));
    const name = 'city-notadb';
    const target = new FrontDbTarget(name, frontDbConfig('sqlite', { path }, 'UP_LIC_DATA'));
    closers.push(() => target.close());
    const checked = await failure(target.checkConnection());
    const sent = await failure(target.deliver([deliveryItem(1, { target: name })]));

    expect(isLicbridgeError(sent) && isLicbridgeError(checked)).toBe(true);
    if (!isLicbridgeError(sent) || !isLicbridgeError(checked)) return;
    expect(sent.message).toBe(`target ${name}: checking exchange table UP_LIC_DATA failed (SQLITE_NOTADB)`);
    expect(checked.message).toBe(sent.message);
  });
});
