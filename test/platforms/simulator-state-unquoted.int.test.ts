/**
 * The simulated province keeps the licenses it accepted, and its first answers, as JSON text in
 * its state database. A text there that does not parse fails without quoting it: V8's SyntaxError
 * quotes the text around an unexpected token, the holder's name and ID number with it, and the
 * simulator's error would carry it into a response or a log line.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { readSimulatorState } from '../../adapters/simulators/province/state-db.js';
import { StateStore, type StoredLicense } from '../../adapters/simulators/province/state-store.js';
import {
  expectNothingPersonal,
  HOLDER_ID,
  HOLDER_NAME,
  ownProperties,
  rejectionOf,
  thrownBy,
} from '../support/unquoted-failures.js';

const entry: StoredLicense = {
  key: 'L-1:1:province',
  licenseId: 'L-1',
  version: 1,
  target: 'province',
  operation: '01',
  platformId: 'PV000000000001',
  license: { czzt: HOLDER_NAME, czztdm: HOLDER_ID },
  signature: {},
  acceptedAt: '2026-01-01T00:00:00.000Z',
};

describe('a simulator state database holding text that does not parse', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('fails reading an entry, a kept answer or the whole state without quoting it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lb-sim-state-'));
    dirs.push(dir);
    const file = join(dir, 'state.db');
    const first = new StateStore(file);
    await first.load();
    first.accept(entry, null);
    first.keepReply('idem-1', 'h', { status: 200, body: { results: [{ czztdm: HOLDER_ID }] } } as never);
    await first.save();
    await first.close();

    const db = new Database(file);
    db.prepare('update entries set body = ?').run(
      `{"license":{"czzt":${HOLDER_NAME},"czztdm":"${HOLDER_ID}"}}`,
    );
    db.prepare('update replies set reply = ?').run(`{"results":[{"czztdm":'${HOLDER_ID}'}]}`);
    db.close();

    const store = new StateStore(file);
    await store.load();
    try {
      // The whole state as `licbridge` reads it back from the file (readSimulatorState) too.
      const read = await rejectionOf(readSimulatorState(file));
      for (const e of [
        thrownBy(() => store.get(entry.key)),
        thrownBy(() => store.replyFor('idem-1')),
        read,
      ]) {
        expect(e).toBeInstanceOf(SyntaxError);
        expect(e.message).toMatch(/^JSON text of \d+ characters /);
        expectNothingPersonal(ownProperties(e));
      }
    } finally {
      await store.close();
    }
  });
});
