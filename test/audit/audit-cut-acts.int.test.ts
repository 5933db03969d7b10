/**
 * Entries cut off the chain's end, the head set back to the entry before: all links fit, and when
 * the cut entries are acts other than versions and reads the ledger's newest version and its runs'
 * reads are still recorded. Each of these acts leaves a row written in the transaction of its
 * entry (a signature, a license file, a seal key, an objection opened or resolved, a dead letter
 * replayed), so verify now finds the newest such row that no entry of the chain records, and names
 * it as `head-mismatch`. Both ledgers.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../ledger/audit-types.js';
import type { Ledger, SigningKeyRecord } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { candidates, commitOnePage, signature } from '../ledger/fixtures.js';
import { rawKnex } from '../ledger/raw-knex.js';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const key: SigningKeyRecord = {
  keyId: 'ab'.repeat(32),
  sealId: 'district-seal',
  signerKind: 'local-sm2',
  distId: '1234567812345678',
  publicKeyPem: '-----BEGIN PUBLIC KEY-----\nab\n-----END PUBLIC KEY-----\n',
  certificatePem: null,
  certificateSerial: '0F',
  certificateIssuer: 'CN=Test CA',
  notBefore: new Date('2026-01-01T00:00:00.000Z'),
  notAfter: new Date('2028-01-01T00:00:00.000Z'),
};

describe.each(BACKENDS)('audit verify on a chain cut after acts other than versions ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  let raw: Knex;
  let entries: AuditEntry[];

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    raw = rawKnex(database.url);
    const page = await commitOnePage(ledger, 'cut', 'run-1', candidates(1, 3, { pipeline: 'cut' }));
    const ids = page.created.map((c) => c.versionId);
    const [first, second, third] = ids as [number, number, number];
    // Each act after the versions' entry, in turn: a cut from any of them on leaves the versions recorded.
    await ledger.registerSigningKey(key);
    await ledger.recordSignatures([signature(first, 'district-seal'), signature(second, 'district-seal')]);
    await ledger.recordSignatures([signature(third, 'district-seal')]);
    const versions = await ledger.getVersions(ids);
    await ledger.licenseFiles.record(
      versions.map((v) => ({
        versionId: v.versionId,
        licenseId: v.licenseId,
        version: v.version,
        pipeline: 'cut',
        path: `t/${v.versionId}.ofd`,
        sm3: String(v.versionId % 10).repeat(64),
        size: 1000 + v.versionId,
        seal: 'district-seal',
        signedAt: new Date('2026-12-01T08:00:00.000Z'),
      })),
    );
    const [row] = await ledger.ensureDeliveries([first], 'province');
    const deliveryKey = (row as { key: string }).key;
    await ledger.recordDeliveryOutcomes([
      { key: deliveryKey, state: 'dead', reasons: ['province: timeout'] },
    ]);
    expect(await ledger.replayDeadLetters([deliveryKey])).toHaveLength(1);
    const licenseId = (versions[0] as { licenseId: string }).licenseId;
    const objection = await ledger.openObjection({
      licenseId,
      unit: 'u',
      reason: 'r',
      actor: 'operator:test',
    });
    await ledger.resolveObjection({
      objectionId: objection.objectionId,
      outcome: 'rejected',
      note: 'n',
      actor: 'operator:test',
    });
    entries = await ledger.readAudit({ limit: 1000 });
  });
  afterAll(async () => {
    await raw?.destroy();
    await ledger?.close();
    await database?.dispose();
  });

  /** Verify with the entries from `from` on cut and the head set back; the chain is put back after. */
  const verifyCut = async (from: number) => {
    const cut: Record<string, unknown>[] = await raw('audit_log').where('seq', '>=', from).orderBy('seq');
    const head = await raw('audit_head').where({ id: 1 }).first();
    const before = entries.find((e) => e.seq === from - 1) as AuditEntry;
    await raw('audit_log').where('seq', '>=', from).del();
    await raw('audit_head')
      .where({ id: 1 })
      .update({ seq: from - 1, hash: before.hash });
    try {
      return await ledger.verifyAudit({ pageSize: 3 });
    } finally {
      await raw('audit_log').insert(cut);
      await raw('audit_head').where({ id: 1 }).update({ seq: head.seq, hash: head.hash });
    }
  };
  const seqOf = (action: string, nth = 0): number =>
    (entries.filter((e) => e.action === action)[nth] as AuditEntry).seq;

  it('verifies the chain as written', async () => {
    expect(entries.map((e) => e.action)).toEqual([
      'read',
      'issue',
      'register-key',
      'sign',
      'sign',
      'issue-file',
      'dead-letter',
      'replay',
      'objection',
      'objection',
    ]);
    expect(await ledger.verifyAudit({ pageSize: 3 })).toMatchObject({ ok: true });
  });

  it('does not take a seal key registered before register-key entries were written for a cut', async () => {
    // A row with no entry, older than the chain's entries: a key of a ledger upgraded since. It is
    // the newest key (the one registered with an entry set further back, and put back after).
    const time = (iso: string) => (backend.name === 'sqlite' ? iso : new Date(iso));
    await raw('signing_keys').update({ registered_at: time('2001-01-01T00:00:00.000Z') });
    await raw('signing_keys').insert({
      key_id: 'cd'.repeat(32),
      seal_id: 'old-seal',
      signer_kind: 'local-sm2',
      dist_id: '1234567812345678',
      public_key: '-----BEGIN PUBLIC KEY-----\ncd\n-----END PUBLIC KEY-----\n',
      certificate_serial_key: '',
      registered_at: time('2002-01-01T00:00:00.000Z'),
    });
    try {
      expect(await ledger.verifyAudit({ pageSize: 3 })).toMatchObject({ ok: true });
    } finally {
      await raw('signing_keys').where({ seal_id: 'old-seal' }).del();
      const at = (entries.find((e) => e.action === 'register-key') as AuditEntry).at;
      await raw('signing_keys').update({ registered_at: time(at) });
    }
  });

  it.each([
    ['the objection’s resolution', () => seqOf('objection', 1), 'objection 1 (rejected)'],
    ['the objection opened', () => seqOf('objection'), 'objection 1 (open)'],
    ['the dead letter replayed', () => seqOf('replay'), 'dead letter replay (delivery '],
    ['the license files issued', () => seqOf('issue-file'), 'license file (version id'],
    ['the last signature, alone in its entry', () => seqOf('sign', 1), 'signature (version id'],
    ['the seal key registered', () => seqOf('register-key'), 'seal key registration (key'],
  ])('fails a chain cut from %s on, naming it', async (_what, from, named) => {
    const seq = from();
    const result = await verifyCut(seq);
    expect(result).toMatchObject({ ok: false, entries: seq - 1, firstBad: { seq, kind: 'head-mismatch' } });
    if (!result.ok)
      expect(result.firstBad.message).toMatch(
        new RegExp(`the ledger's newest (.*, nor its newest )?${escapeRegExp(named)}`),
      );
    // Put back, the chain verifies again.
    expect(await ledger.verifyAudit({ pageSize: 3 })).toMatchObject({ ok: true });
  });
});
