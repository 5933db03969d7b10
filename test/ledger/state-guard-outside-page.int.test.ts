/**
 * The quarantine re-read's own writes of its state entry outside a page's commit (what a run saw,
 * a share with nothing to commit: pipelines/quarantine-recheck.ts) are compare-and-set
 * (state-guard.ts `moveStateEntry`): a read, then a plain write, put back an entry another copy
 * had moved in between, and its committed share was lost.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { passShare } from '../../pipelines/quarantine-recheck.js';
import { meanwhile } from '../support/meanwhile.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';

describe.each(BACKENDS)('moving a state entry outside a page ($name)', (backend) => {
  let db: TestDatabase | undefined;
  let ledger: Ledger | undefined;
  afterEach(async () => {
    await ledger?.close();
    ledger = undefined;
    await db?.dispose();
    db = undefined;
  });

  it('moves it only from the value found, and a share passed late leaves another copy’s commit', async () => {
    db = await backend.create();
    ledger = await openLedger(db.url, { logger: quietLogger });
    const at = { source: 'src', scope: 'quarantine-recheck', key: 'p' };
    const value = async () => (await ledger?.stateEntries('src', 'quarantine-recheck'))?.[0]?.value;
    expect(await ledger.moveStateEntry({ ...at, from: null, to: 'n1' })).toBe(true);
    expect(await ledger.moveStateEntry({ ...at, from: null, to: 'n1 again' })).toBe(false);
    // Another copy commits its share (n1 -> n2) while this copy passes its own from n1: after a
    // read of the entry, or just before a write of it.
    let other: (() => Promise<unknown>) | undefined = () =>
      (ledger as Ledger).moveStateEntry({ ...at, from: 'n1', to: 'n2' });
    const step = async () => {
      const run = other;
      other = undefined;
      await run?.();
    };
    const late = meanwhile(meanwhile(ledger, 'stateEntries', step), 'moveStateEntry', step, { before: true });
    await passShare(late, { ...at, from: 'n1', to: 'n2 of the late copy' });
    expect(await value()).toBe('n2');
  });
});
