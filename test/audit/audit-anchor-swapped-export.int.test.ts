/**
 * `audit verify --against` checks an export's signature over its bytes, then reads the export
 * again to compare its entries with the chain. It opened the file by its name each time: a file put
 * in its place between the two reads (renamed over it, by whoever can write where the exports are
 * kept) was compared unsigned. An export cut to fit a chain cut short, swapped in once the genuine
 * one had been hashed, passed. The entries compared must now be the bytes the signature was
 * checked over, or the export is refused, naming it.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { checkAuditAnchors } from '../../pipelines/audit-anchor.js';
import type { AnchorKeys } from '../../pipelines/audit-export-keys.js';
import { writeAuditExport } from '../../pipelines/audit-export-write.js';
import { makeTempDir } from '../signers/helpers.js';
import { type ChainLedger, chainLedger } from './audit-chain-fixture.js';
import { exportSigner } from './export-workspace.js';

const pair = generateSm2KeyPair();
const keys: AnchorKeys = {
  keys: [{ publicKeyPem: pair.publicKeyPem, origin: 'signer district-seal', trusted: true }],
  described: 'the configured ones',
};

describe('an export swapped after its signature was checked', () => {
  let chain: ChainLedger;
  let tmp: ReturnType<typeof makeTempDir>;
  let out: string;
  let forged: string;

  beforeAll(async () => {
    tmp = makeTempDir();
    chain = await chainLedger(20);
    out = join(tmp.dir, 'day.jsonl');
    const signer = await exportSigner({ key: pair.privateKeyPem });
    try {
      await writeAuditExport(chain.ledger, signer, {}, { out, pageSize: 6 });
    } finally {
      await signer.close();
    }
    // Entries 16 on cut off the chain, the head set back: the walk alone finds nothing.
    const db = new Database(chain.database.url.slice('sqlite://'.length));
    try {
      db.prepare('delete from audit_log where seq >= 16').run();
      const last = db.prepare('select seq, hash from audit_log where seq = 15').get() as {
        seq: number;
        hash: string;
      };
      db.prepare('update audit_head set seq = ?, hash = ? where id = 1').run(last.seq, last.hash);
    } finally {
      db.close();
    }
    // The export's own lines, cut to the chain that is left: no signature made for them.
    const lines = (await readFile(out, 'utf8')).split('\n').slice(0, 15);
    forged = join(tmp.dir, 'forged.jsonl');
    writeFileSync(forged, `${lines.join('\n')}\n`);
  });
  afterAll(async () => {
    await chain?.close();
    tmp?.cleanup();
  });

  it('the genuine export finds the cut; the one put in its place once hashed is refused', async () => {
    const verified = await chain.ledger.verifyAudit();
    expect(verified).toMatchObject({ ok: true, entries: 15 });
    expect(await checkAuditAnchors(chain.ledger, verified, [out], { keys })).toMatchObject({
      ok: false,
      firstBad: { seq: 16, kind: 'head-mismatch' },
    });

    let swapped = false;
    const checking = checkAuditAnchors(chain.ledger, verified, [out], {
      keys,
      onHashed: (_file, hashed, size) => {
        if (hashed < size || swapped) return;
        renameSync(forged, out);
        swapped = true;
      },
    });
    await expect(checking).rejects.toThrow(
      `audit: export ${out}: it changed while it was checked: the entries read are not the bytes its signature was checked over`,
    );
    expect(swapped).toBe(true);
  });
});
