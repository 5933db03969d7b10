/**
 * The chain and its head live in one database: entries cut off the end with the head set back, or
 * a tail rewritten with fresh hashes, still walk as an intact chain. A signed export kept elsewhere
 * pins the chain: `verify --against` finds both, and a changed export is refused.
 */
import { appendFile, copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyFingerprint } from '../../adapters/signers/certificate.js';
import { generateSm2KeyPair, loadSm2PrivateKey } from '../../adapters/signers/local-sm2/keys.js';
import { sm2Sign } from '../../adapters/signers/local-sm2/sm2.js';
import { jcs } from '../../catalog/canonical.js';
import type { Config } from '../../config/types.js';
import { type AuditRowValues, auditHash } from '../../ledger/audit-chain.js';
import { checkAuditAnchors } from '../../pipelines/audit-anchor.js';
import { type AnchorKeys, configuredAnchorKeys, keysFromFiles } from '../../pipelines/audit-export-keys.js';
import { writeAuditExport } from '../../pipelines/audit-export-write.js';
import { quietLogger } from '../ledger/backends.js';
import { makeTempDir } from '../signers/helpers.js';
import { appendChainEntries, type ChainLedger, chainLedger } from './audit-chain-fixture.js';
import { exportSigner } from './export-workspace.js';

const pair = generateSm2KeyPair();
/** The exports' signer key, as the config would hold it. */
const keys: AnchorKeys = {
  keys: [{ publicKeyPem: pair.publicKeyPem, origin: 'signer district-seal', trusted: true }],
  described: 'the configured ones',
};

async function exportChain(chain: ChainLedger, out: string, query = {}, key = pair): Promise<void> {
  const signer = await exportSigner({ key: key.privateKeyPem });
  try {
    await writeAuditExport(chain.ledger, signer, query, { out, pageSize: 7 });
  } finally {
    await signer.close();
  }
}

/** Entries from `from` on removed and the head set back to the one before: no gap, no link broken. */
function cutTail(file: string, from: number): void {
  const db = new Database(file);
  try {
    db.prepare('delete from audit_log where seq >= ?').run(from);
    const last = db.prepare('select seq, hash from audit_log where seq = ?').get(from - 1) as {
      seq: number;
      hash: string;
    };
    db.prepare('update audit_head set seq = ?, hash = ? where id = 1').run(last.seq, last.hash);
  } finally {
    db.close();
  }
}

/** Entry `from` altered and every entry after it hashed again, head included: the chain still fits. */
function rewriteFrom(file: string, from: number): void {
  const db = new Database(file);
  try {
    const rows = db
      .prepare('select * from audit_log where seq >= ? order by seq')
      .all(from) as (AuditRowValues & {
      hash: string;
    })[];
    let prev =
      from === 1
        ? '0'.repeat(64)
        : (db.prepare('select hash from audit_log where seq = ?').get(from - 1) as { hash: string }).hash;
    const update = db.prepare('update audit_log set detail = ?, prev_hash = ?, hash = ? where seq = ?');
    for (const r of rows) {
      const detail = r.seq === from ? jcs({ runId: 'run-forged', seq: r.seq }) : r.detail;
      const values: AuditRowValues = { ...r, detail, prev_hash: prev };
      prev = auditHash(values);
      update.run(detail, values.prev_hash, prev, r.seq);
    }
    db.prepare('update audit_head set hash = ? where id = 1').run(prev);
  } finally {
    db.close();
  }
}

describe('audit verify against signed exports', () => {
  let chain: ChainLedger;
  let tmp: ReturnType<typeof makeTempDir>;
  let file: string;
  let out: string;

  beforeEach(async () => {
    tmp = makeTempDir();
    chain = await chainLedger(40);
    file = chain.database.url.slice('sqlite://'.length);
    out = join(tmp.dir, 'audit-export.jsonl');
    await exportChain(chain, out);
  });
  afterEach(async () => {
    await chain?.close();
    tmp?.cleanup();
  });

  const verify = async (files = [out]) =>
    checkAuditAnchors(chain.ledger, await chain.ledger.verifyAudit(), files, { keys });

  it('passes a chain that holds the export, and one that grew since', async () => {
    expect(await verify()).toMatchObject({ ok: true, entries: 40 });
    appendChainEntries(file, 5);
    expect(await verify()).toMatchObject({ ok: true, entries: 45 });
  });

  it('finds entries cut off the end that the chain walk alone calls intact', async () => {
    cutTail(file, 31);
    // The walk alone: nothing out of place.
    expect(await chain.ledger.verifyAudit()).toMatchObject({ ok: true, entries: 30 });
    const r = await verify();
    expect(r).toMatchObject({ ok: false, headSeq: 30, firstBad: { seq: 31, kind: 'head-mismatch' } });
    if (!r.ok) expect(r.firstBad.message).toContain('cut off the end');
  });

  it('finds a tail rewritten with fresh hashes, at its first rewritten entry', async () => {
    rewriteFrom(file, 17);
    expect(await chain.ledger.verifyAudit()).toMatchObject({ ok: true, entries: 40 });
    expect(await verify()).toMatchObject({ ok: false, firstBad: { seq: 17, kind: 'anchor-differs' } });
  });

  it('checks a range export as well: one of a later range pins that range', async () => {
    const range = join(tmp.dir, 'range.jsonl');
    await exportChain(chain, range, { fromSeq: 21, toSeq: 35 });
    rewriteFrom(file, 25);
    const r = await verify([range]);
    expect(r).toMatchObject({ ok: false, firstBad: { seq: 25, kind: 'anchor-differs' } });
    // The export names this ledger: a rewrite, not an export of another ledger.
    if (!r.ok) expect(r.firstBad.message).toMatch(/rewritten from there on$/);
  });

  it('refuses an export whose signature does not verify over it, naming the file', async () => {
    const cut = join(tmp.dir, 'cut.jsonl');
    const lines = (await readFile(out, 'utf8')).split('\n');
    await writeFile(cut, `${lines.slice(0, 30).join('\n')}\n`);
    await copyFile(`${out}.sig`, `${cut}.sig`);
    await copyFile(`${out}.pub.pem`, `${cut}.pub.pem`);
    await expect(verify([cut])).rejects.toThrow(`audit: export ${cut}: its signature does not verify`);
    await appendFile(out, '\n');
    await expect(verify([out])).rejects.toThrow('its signature does not verify');
  });

  it('refuses an export whose public key cannot be read, naming the file, as a usage problem', async () => {
    // A damaged key file is no broken chain: it must not fail as one (exit 1) with the bare decoder error.
    await writeFile(`${out}.pub.pem`, '-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n');
    const failure = verify([out]);
    await expect(failure).rejects.toThrow(
      `audit: export ${out}: its public key ${out}.pub.pem cannot be read`,
    );
    await expect(failure).rejects.toMatchObject({ code: 'LB_USAGE' });
  });

  it('refuses an export gone from beside its signature and key, naming the file, as a usage problem', async () => {
    // Its .sig and .pub.pem still there (a file moved away, a mistyped name with its pair copied):
    // not the runtime's bare "no such file" error, which named no export and exited as a crash.
    await rm(out);
    const failure = verify([out]);
    await expect(failure).rejects.toThrow(`audit: export ${out}: it cannot be read: ENOENT`);
    await expect(failure).rejects.toMatchObject({ code: 'LB_USAGE' });
  });

  it('refuses an export re-signed with a key of the forger’s own put beside it', async () => {
    // Whoever can replace the kept files cuts the export and signs it again with their key.
    const forger = generateSm2KeyPair();
    const forged = join(tmp.dir, 'forged.jsonl');
    await exportChain(chain, forged, { toSeq: 30 }, forger);
    cutTail(file, 31);
    const failure = verify([forged]);
    await expect(failure).rejects.toThrow(
      `audit: export ${forged}: it is signed with key ${keyFingerprint(forger.publicKeyPem)} (${forged}.pub.pem), which is not one of the configured ones`,
    );
    await expect(failure).rejects.toMatchObject({ code: 'LB_USAGE' });
  });

  it('takes the keys given with --key instead of the config’s, and says a ledger key is not trusted', async () => {
    const given = join(tmp.dir, 'given.pem');
    await writeFile(given, pair.publicKeyPem);
    const withKey = async (k: AnchorKeys) =>
      checkAuditAnchors(chain.ledger, await chain.ledger.verifyAudit(), [out], { keys: k });
    expect(await withKey(keysFromFiles([given]))).toMatchObject({
      ok: true,
      exports: [{ file: out, entries: 40, key: `--key ${given}` }],
    });
    const other = join(tmp.dir, 'other.pem');
    await writeFile(other, generateSm2KeyPair().publicKeyPem);
    await expect(withKey(keysFromFiles([other]))).rejects.toThrow(
      `which is not one of the ones given with --key (${other})`,
    );
    expect(() => keysFromFiles([join(tmp.dir, 'absent.pem')])).toThrow(`audit: --key ${tmp.dir}/absent.pem:`);
    const ledgerOnly: AnchorKeys = {
      keys: [{ publicKeyPem: pair.publicKeyPem, origin: 'ledger', trusted: false, sealId: '37021100000001' }],
      described: 'the configured ones',
    };
    await expect(withKey(ledgerOnly)).rejects.toThrow(
      'the ledger registers it for seal 37021100000001, which makes no key trusted',
    );
  });

  it('accepts the config’s signer and trust entries for signers, and no other trust entry', async () => {
    const retired = generateSm2KeyPair();
    const maker = generateSm2KeyPair();
    await writeFile(join(tmp.dir, 'retired.pem'), retired.publicKeyPem);
    await writeFile(join(tmp.dir, 'maker.pem'), maker.publicKeyPem);
    const config = {
      signers: {
        'district-seal': {
          kind: 'local-sm2',
          key: pair.privateKeyPem,
          sealId: '37021100000001',
          distId: '1234567812345678',
          workers: 0,
        },
      },
      trust: {
        retired: { sealId: '37021100000001', file: join(tmp.dir, 'retired.pem'), role: 'signer' },
        maker: { sealId: '37021100000009', file: join(tmp.dir, 'maker.pem'), role: 'seal-maker' },
      },
    } as unknown as Config;
    const configured = await configuredAnchorKeys(config, chain.ledger, quietLogger);
    const check = async (f: string) =>
      checkAuditAnchors(chain.ledger, await chain.ledger.verifyAudit(), [f], { keys: configured });
    expect(await check(out)).toMatchObject({ ok: true, exports: [{ key: 'signer district-seal' }] });
    const old = join(tmp.dir, 'old.jsonl');
    await exportChain(chain, old, {}, retired);
    expect(await check(old)).toMatchObject({ ok: true, exports: [{ key: 'trust retired' }] });
    const byMaker = join(tmp.dir, 'by-maker.jsonl');
    await exportChain(chain, byMaker, {}, maker);
    await expect(check(byMaker)).rejects.toThrow('which is not one of the configured ones');
  });

  it('lists an export of no entries as pinning nothing', async () => {
    const empty = join(tmp.dir, 'empty.jsonl');
    await exportChain(chain, empty, { fromSeq: 100, toSeq: 200 });
    expect(await verify([empty, out])).toMatchObject({
      ok: true,
      exports: [
        { file: empty, entries: 0 },
        { file: out, entries: 40 },
      ],
    });
  });

  it('fails an export of another ledger as one, not as a rewrite of this chain', async () => {
    const other = await chainLedger(40);
    try {
      // Another ledger: its own first entry, so every entry after it differs.
      rewriteFrom(other.database.url.slice('sqlite://'.length), 1);
      const range = join(tmp.dir, 'other-range.jsonl');
      const whole = join(tmp.dir, 'other-whole.jsonl');
      await exportChain(other, range, { fromSeq: 21, toSeq: 35 });
      await exportChain(other, whole);
      // A range export names its ledger on its first line, signed with it.
      expect(JSON.parse((await readFile(range, 'utf8')).split('\n')[0] as string)).toMatchObject({
        seq: 21,
        chainStart: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      for (const [f, seq] of [
        [range, 21],
        [whole, 1],
      ] as const) {
        const r = await verify([f]);
        expect(r).toMatchObject({ ok: false, firstBad: { seq, kind: 'anchor-differs' } });
        if (!r.ok) {
          expect(r.firstBad.message).toContain(`the export ${f} is an export of another ledger`);
          expect(r.firstBad.message).not.toContain('rewritten from there on');
        }
      }
    } finally {
      await other.close();
    }
  });

  it('says a range export that names no ledger cannot tell another ledger from a rewrite', async () => {
    // A range export as made before exports named their ledger: no chainStart on its first line.
    const range = join(tmp.dir, 'unnamed.jsonl');
    await exportChain(chain, range, { fromSeq: 21, toSeq: 35 });
    const [first, ...rest] = (await readFile(range, 'utf8')).split('\n');
    const { chainStart: _, ...entry } = JSON.parse(first as string) as Record<string, unknown>;
    const bytes = Buffer.from([JSON.stringify(entry), ...rest].join('\n'), 'utf8');
    await writeFile(range, bytes);
    await writeFile(`${range}.sig`, sm2Sign(loadSm2PrivateKey('seal', pair.privateKeyPem).privateKey, bytes));
    rewriteFrom(file, 25);
    const r = await verify([range]);
    expect(r).toMatchObject({ ok: false, firstBad: { seq: 25, kind: 'anchor-differs' } });
    if (!r.ok) {
      expect(r.firstBad.message).toContain(
        'rewritten from there on, or the export is of another ledger (it does not record which ledger it was taken from)',
      );
    }
  });
});
