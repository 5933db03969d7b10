/**
 * `audit verify --against` compares an export's entries with the chain a page (5,000 entries) at a
 * time, as it reads the file again after checking its signature, and learns that the bytes read are
 * the ones signed only at the file's end. An export of more than a page that was replaced between
 * the two reads (a copy onto the kept storage rewriting it, or whoever can write there) had its
 * first page compared unsigned: an entry that differed there was reported as the chain rewritten
 * from that entry on (`chain broken`, exit 1), blaming an intact ledger for a file no one signed.
 * The export is now refused as changed while it was checked, whichever page differs.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
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
/** More than the 5,000 entries compared at a time. */
const ENTRIES = 5_003;

describe('an export of more than a page swapped after its signature was checked', () => {
  let chain: ChainLedger;
  let tmp: ReturnType<typeof makeTempDir>;
  let out: string;
  let altered: string;

  beforeAll(async () => {
    tmp = makeTempDir();
    chain = await chainLedger(ENTRIES);
    out = join(tmp.dir, 'year.jsonl');
    const signer = await exportSigner({ key: pair.privateKeyPem });
    try {
      await writeAuditExport(chain.ledger, signer, {}, { out });
    } finally {
      await signer.close();
    }
    // Entry 2's hash changed in a copy: a file no signature was made for.
    const lines = (await readFile(out, 'utf8')).split('\n');
    const second = JSON.parse(lines[1] as string) as { hash: string };
    lines[1] = JSON.stringify({
      ...second,
      hash: `${second.hash.startsWith('0') ? '1' : '0'}${second.hash.slice(1)}`,
    });
    altered = join(tmp.dir, 'altered.jsonl');
    writeFileSync(altered, lines.join('\n'));
  }, 60_000);
  afterAll(async () => {
    await chain?.close();
    tmp?.cleanup();
  });

  it('refuses the export as changed, not the chain as rewritten', async () => {
    const verified = await chain.ledger.verifyAudit();
    expect(verified).toMatchObject({ ok: true, entries: ENTRIES });
    expect(await checkAuditAnchors(chain.ledger, verified, [out], { keys })).toMatchObject({ ok: true });

    let swapped = false;
    const checking = checkAuditAnchors(chain.ledger, verified, [out], {
      keys,
      onHashed: (_file, hashed, size) => {
        if (hashed < size || swapped) return;
        renameSync(altered, out);
        swapped = true;
      },
    });
    await expect(checking).rejects.toThrow(
      `audit: export ${out}: it changed while it was checked: the entries read are not the bytes its signature was checked over`,
    );
    expect(swapped).toBe(true);
  });
});
