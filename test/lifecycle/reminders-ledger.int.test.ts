/**
 * Reminders in the ledger on both backends: holder contacts ride a page commit beside the license
 * (stored, changed, removed; never in a version payload), candidates come from the validTo range
 * of valid licenses with a contact, a reminder row is written once per (license, version,
 * threshold), and each final state is in the audit chain without any contact.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../catalog/canonical.js';
import type { HolderContact } from '../../catalog/holder-contact.js';
import { identifierBuilder } from '../../catalog/identifier.js';
import type { License, LicenseStatus } from '../../catalog/license.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { Ledger, VersionCandidate } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';

const TYPE = '11370200MB12345674001';
const ISSUER = '11370211MB12345672';
const ids = identifierBuilder(TYPE, ISSUER);
const HOLDER = '海滨小吃店';

function license(serial: string, version: number, validTo: string | null, status: LicenseStatus): License {
  return {
    identifier: ids.identifier(serial, version),
    number: `JY${serial}`,
    type: { name: '食品经营许可证', code: TYPE },
    issuer: { name: '青岛西海岸新区市场监督管理局', code: ISSUER },
    issueDate: '2021-01-01',
    validFrom: '2021-01-01',
    validTo,
    areaCode: '370211',
    holder: { name: HOLDER, idType: '001', id: '91370211MA3C000000' },
    status,
    surface: { businessItems: ['热食类食品制售'] },
  };
}

function candidate(
  pipeline: string,
  serial: string,
  validTo: string | null,
  contact: HolderContact | null | undefined,
  status: LicenseStatus = 'valid',
): VersionCandidate {
  const l = license(serial, 1, validTo, status);
  return {
    licenseId: ids.licenseId(serial),
    sourceKey: serial,
    contentHash: contentHash(l),
    status,
    lineage: {
      pipeline,
      source: 's',
      sourceKey: serial,
      runId: 'r',
      catalogVersion: 'c',
      mappingVersion: 'm',
    },
    build: (version) => license(serial, version, validTo, status),
    ...(contact === undefined ? {} : { contact }),
  };
}

describe.each(BACKENDS)('reminders in the ledger ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;
  const tag = randomBytes(3).toString('hex').toUpperCase();
  const pipeline = `rm-${tag.toLowerCase()}`;
  const serial = (n: number) => `RM${tag}${String(n).padStart(6, '0')}`;
  const phone = (n: number) => `1390000${String(n).padStart(4, '0')}`;

  async function commit(candidates: VersionCandidate[]): Promise<void> {
    const runId = randomUUID();
    await ledger.startRun({ runId, pipeline, mode: 'incremental' });
    await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: 'k' }),
      rowsRead: candidates.length,
      candidates,
      quarantined: [],
    });
  }

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
    await commit([
      candidate(pipeline, serial(1), '2026-03-05', { phone: phone(1) }),
      candidate(pipeline, serial(2), '2026-03-20', { phone: phone(2), appUserId: 'u-2' }),
      candidate(pipeline, serial(3), '2026-03-10', undefined), // a mapping without contact rules
      candidate(pipeline, serial(4), '2026-03-10', null), // the row gave no contact
      candidate(pipeline, serial(5), '2026-03-10', { phone: phone(5) }, 'revoked'),
      candidate(pipeline, serial(6), '2026-06-30', { phone: phone(6) }),
      candidate(pipeline, serial(7), null, { phone: phone(7) }),
    ]);
  });

  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  it('keeps contacts beside the licenses, never inside a version', async () => {
    const contacts = await ledger.reminders.contacts([1, 2, 3, 4].map((n) => ids.licenseId(serial(n))));
    expect(contacts.get(ids.licenseId(serial(1)))).toEqual({ phone: phone(1) });
    expect(contacts.get(ids.licenseId(serial(2)))).toEqual({ phone: phone(2), appUserId: 'u-2' });
    expect(contacts.has(ids.licenseId(serial(3)))).toBe(false);
    expect(contacts.has(ids.licenseId(serial(4)))).toBe(false);
    const versions = await ledger.versionPage({ afterVersionId: 0, limit: 100, pipeline });
    expect(versions).toHaveLength(7);
    for (const v of versions) expect(JSON.stringify(v.payload)).not.toContain('1390000');
  });

  it('changes a contact without a new version, and removes it when the row gives none', async () => {
    await commit([
      candidate(pipeline, serial(1), '2026-03-05', { phone: phone(101) }),
      candidate(pipeline, serial(2), '2026-03-20', null),
      candidate(pipeline, serial(6), '2026-06-30', undefined),
    ]);
    const contacts = await ledger.reminders.contacts([1, 2, 6].map((n) => ids.licenseId(serial(n))));
    expect(contacts.get(ids.licenseId(serial(1)))).toEqual({ phone: phone(101) });
    expect(contacts.has(ids.licenseId(serial(2)))).toBe(false);
    // A mapping without contact rules leaves what is stored alone.
    expect(contacts.get(ids.licenseId(serial(6)))).toEqual({ phone: phone(6) });
    const versions = await ledger.versionPage({ afterVersionId: 0, limit: 100, pipeline });
    expect(versions).toHaveLength(7);
    // Put serial 2's contact back for the tests below.
    await commit([candidate(pipeline, serial(2), '2026-03-20', { phone: phone(2) })]);
  });

  it('finds valid licenses with a contact whose validTo is in the window, paged by license id', async () => {
    const all = await ledger.reminders.candidates({
      pipelines: [pipeline],
      from: '2026-03-01',
      to: '2026-03-31',
      limit: 100,
    });
    // 3: no contact; 4: contact removed; 5: revoked; 6: outside the window; 7: long-term.
    expect(all.map((c) => c.licenseId).sort()).toEqual(
      [serial(1), serial(2)].map((s) => ids.licenseId(s)).sort(),
    );
    expect(all.find((c) => c.licenseId === ids.licenseId(serial(1)))).toMatchObject({
      pipeline,
      version: 1,
      validTo: '2026-03-05',
    });
    const first = await ledger.reminders.candidates({
      pipelines: [pipeline],
      from: '2026-03-01',
      to: '2026-03-31',
      limit: 1,
    });
    const rest = await ledger.reminders.candidates({
      pipelines: [pipeline],
      from: '2026-03-01',
      to: '2026-03-31',
      limit: 10,
      after: first[0]?.licenseId ?? '',
    });
    expect([...first, ...rest].map((c) => c.licenseId)).toEqual(all.map((c) => c.licenseId));
    expect(
      await ledger.reminders.candidates({ pipelines: [], from: '2026-03-01', to: '2026-03-31', limit: 10 }),
    ).toEqual([]);
  });

  it('writes a reminder row once per (license, version, threshold) and audits its final state', async () => {
    const licenseId = ids.licenseId(serial(1));
    const due = {
      licenseId,
      version: 1,
      pipeline,
      target: 'sms',
      threshold: 30,
      validTo: '2026-03-05',
      daysLeft: 25,
      dueDay: '2026-02-08',
    };
    const [opened] = await ledger.reminders.open([due]);
    expect(opened).toMatchObject({ key: `${licenseId}:1:30`, state: 'pending', attempts: 0, daysLeft: 25 });
    // A second tick opening the same reminder on another day keeps the first row as it was.
    const [again] = await ledger.reminders.open([{ ...due, daysLeft: 24, dueDay: '2026-02-09' }]);
    expect(again).toMatchObject({ state: 'pending', daysLeft: 25, dueDay: '2026-02-08' });
    expect(await ledger.reminders.pending(10)).toHaveLength(1);

    await ledger.reminders.attempt(
      [opened?.key ?? ''],
      'target sms: reminder to http://127.0.0.1:1 failed: no answer in time',
      'tick:test',
    );
    const [tried] = await ledger.reminders.forLicenses([licenseId]);
    expect(tried).toMatchObject({ state: 'pending', attempts: 1 });

    const before = (await ledger.verifyAudit()).entries;
    const digest = 'a'.repeat(64);
    await ledger.reminders.record(
      [{ key: opened?.key ?? '', state: 'sent', messageId: 'msg-1', actor: 'target:sms', digest }],
      'tick:test',
    );
    // A late second outcome for the same reminder changes nothing and adds no audit entry.
    await ledger.reminders.record(
      [{ key: opened?.key ?? '', state: 'skipped', reason: 'x', actor: 'target:sms', digest }],
      'tick:test',
    );
    const [sent] = await ledger.reminders.list({ state: 'sent' });
    expect(sent).toMatchObject({ key: opened?.key, state: 'sent', messageId: 'msg-1' });
    expect(sent?.sentAt).toBeInstanceOf(Date);
    expect(await ledger.reminders.pending(10)).toEqual([]);

    const verified = await ledger.verifyAudit();
    expect(verified.ok).toBe(true);
    expect(verified.entries).toBe(before + 1);
    const [entry] = await ledger.readAudit({ afterSeq: before });
    expect(entry).toMatchObject({ action: 'remind', actor: 'target:sms', licenseId, version: 1, digest });
    expect(JSON.parse(entry?.detail ?? '{}')).toEqual({
      state: 'sent',
      threshold: 30,
      validTo: '2026-03-05',
      daysLeft: 25,
      messageId: 'msg-1',
    });
  });

  it('reads only number, type, issuer and validTo of a version', async () => {
    const licenseId = ids.licenseId(serial(1));
    const facts = await ledger.reminders.versionFacts([{ licenseId, version: 1 }]);
    expect(facts.get(`${licenseId}:1`)).toEqual({
      number: `JY${serial(1)}`,
      typeName: '食品经营许可证',
      issuerName: '青岛西海岸新区市场监督管理局',
      validTo: '2026-03-05',
    });
    expect(JSON.stringify([...facts.values()])).not.toContain(HOLDER);
  });

  it('purges the contacts of licenses that are no longer valid, and only those', async () => {
    const all = [1, 2, 5, 6, 7].map((n) => ids.licenseId(serial(n)));
    expect((await ledger.reminders.contacts(all)).has(ids.licenseId(serial(5)))).toBe(true);
    expect(await ledger.reminders.purgeContacts()).toBe(1);
    const left = await ledger.reminders.contacts(all);
    expect([...left.keys()].sort()).toEqual([1, 2, 6, 7].map((n) => ids.licenseId(serial(n))).sort());
    expect(await ledger.reminders.purgeContacts()).toBe(0);
  });
});
