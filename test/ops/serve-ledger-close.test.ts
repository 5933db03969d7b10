/**
 * serve's stand-in for a ledger not migrated yet (pipelines/observability/serve-ledger.ts), closed
 * while it is opening the ledger again: a database that stopped answering holds that open up to its
 * connect timeout, and a SIGTERM to serve must not wait for it.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { pendingMigrationsError } from '../../ledger/pending-migrations.js';
import { openServeLedger } from '../../pipelines/observability/serve-ledger.js';
import { outcomeWithin } from '../support/silent-proxy.js';
import { quietLogger } from './ops-fixtures.js';

const opens = vi.hoisted(() => ({ next: [] as (() => Promise<unknown>)[] }));
vi.mock('../../pipelines/config-ledger.js', () => ({
  openConfigLedger: () => (opens.next.shift() as () => Promise<unknown>)(),
}));

describe('serve ledger closed while an open is in flight', () => {
  it('close() ends at once, and the ledger the open gives later is closed', async () => {
    let give: (l: Ledger) => void = () => undefined;
    const closed = vi.fn(async () => undefined);
    opens.next.push(
      () => Promise.reject(pendingMigrationsError(['m1'])),
      () => new Promise<Ledger>((resolve) => (give = resolve)),
    );
    const ledger = await openServeLedger({} as never, quietLogger(), 0);
    const read = ledger.getCheckpoint('p');
    read.catch(() => undefined);
    // The open never settles until `give`: a close() that waited for it would still be waiting.
    expect(await outcomeWithin(2000, ledger.close())).toBeUndefined();
    expect(closed).not.toHaveBeenCalled();
    give({ close: closed } as unknown as Ledger);
    await vi.waitFor(() => expect(closed).toHaveBeenCalledTimes(1));
    await expect(ledger.getCheckpoint('p')).rejects.toThrow('ledger: closed');
  });
});
