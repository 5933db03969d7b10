/**
 * The verify use cases without the CLI: a ledger selection's signatures and license files give
 * one verdict (a changed file or a file nobody looked at fails it, valid signatures or not), the
 * store is the request's or the config's, and `--file`'s checker trusts only what it is given.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { LicbridgeError } from '../../core/errors.js';
import type { StoredLicenseFile } from '../../ledger/license-files.js';
import { pipelinesToSign, signBackfill } from '../../pipelines/batch-sign/backfill.js';
import { verifyLedger } from '../../pipelines/verify/ledger.js';
import { verifyOfdFiles } from '../../pipelines/verify/ofd-files.js';
import { configuredTrust } from '../../pipelines/verify/trust.js';
import { type FileWorkspace, fileWorkspace, quiet } from '../platforms/license-file-workspace.js';

const COUNT = 3;

describe('verify use cases', () => {
  let ws: FileWorkspace;
  let files: StoredLicenseFile[];
  /** The workspace's config without `licenseFiles.store`. */
  let bare: Readonly<Config>;

  beforeAll(async () => {
    ws = await fileWorkspace(COUNT, COUNT, { signed: 'none' });
    const signed = await signBackfill(ws.config, quiet, {
      pipelines: pipelinesToSign(ws.config, undefined),
      pageSize: 10,
    });
    expect(signed.passes.reduce((n, p) => n + p.signed, 0)).toBe(COUNT);
    files = await ws.ledger.licenseFiles.list({});
    const file = join(ws.dir, 'no-store.yaml');
    const text = readFileSync(join(ws.dir, 'licbridge.yaml'), 'utf8').replace(
      'licenseFiles: { store: ./files }\n',
      '',
    );
    expect(text).not.toContain('licenseFiles');
    bare = parseConfig(text, { file });
  });
  afterAll(async () => {
    await ws?.close();
  });

  it("checks every version's signature and every listed file in the config's store", async () => {
    const report = await verifyLedger(ws.config, {}, quiet);
    expect(report.ok).toBe(true);
    expect(report.signatures).toMatchObject({ versions: COUNT, signatures: COUNT, failed: 0, ok: true });
    expect(report.signatures.results.map((r) => r.key?.origin)).toEqual(
      Array(COUNT).fill('signer district certificate'),
    );
    expect(report.files).toMatchObject({ checked: COUNT, failed: 0, unchecked: 0 });
    expect(report.files.results.map((r) => r.path)).toEqual(files.map((f) => f.path));
  });

  it('narrows signatures and files alike to the licenses asked for, and fails on an unknown one', async () => {
    const one = files[1] as StoredLicenseFile;
    const report = await verifyLedger(ws.config, { licenseIds: [one.licenseId] }, quiet);
    expect(report.ok).toBe(true);
    expect(report.signatures.results.map((r) => r.licenseId)).toEqual([one.licenseId]);
    expect(report.files.results.map((r) => r.licenseId)).toEqual([one.licenseId]);

    const unknown = await verifyLedger(ws.config, { licenseIds: ['NO-SUCH'] }, quiet);
    expect(unknown.ok).toBe(false);
    expect(unknown.signatures.results).toEqual([
      expect.objectContaining({
        licenseId: 'NO-SUCH',
        ok: false,
        reasons: ['no such license in the ledger'],
      }),
    ]);
    expect(unknown.files).toMatchObject({ checked: 0, unchecked: 0 });
  });

  it('tells each result as it is made and then keeps only failures (and files with notes), so a run over millions holds no more', async () => {
    const told: { licenseId: string; ok: boolean }[] = [];
    const onResult = (r: { licenseId: string; ok: boolean }) =>
      told.push({ licenseId: r.licenseId, ok: r.ok });
    const all = await verifyLedger(ws.config, {}, quiet, { onResult });
    expect(all.signatures).toMatchObject({
      versions: COUNT,
      signatures: COUNT,
      failed: 0,
      ok: true,
      results: [],
    });
    expect(told).toEqual(files.map((f) => ({ licenseId: f.licenseId, ok: true })));
    // Files that pass without a note are counted, not kept: a report prints only the others.
    expect(all.files).toMatchObject({ checked: COUNT, failed: 0, unchecked: 0, results: [] });

    told.length = 0;
    const one = (files[2] as StoredLicenseFile).licenseId;
    const mixed = await verifyLedger(ws.config, { licenseIds: [one, 'NO-SUCH'] }, quiet, { onResult });
    expect(told).toEqual([
      { licenseId: one, ok: true },
      { licenseId: 'NO-SUCH', ok: false },
    ]);
    expect(mixed.signatures).toMatchObject({ versions: 1, failed: 1, ok: false });
    expect(mixed.signatures.results.map((r) => [r.licenseId, r.reasons])).toEqual([
      ['NO-SUCH', ['no such license in the ledger']],
    ]);
  });

  it('without a store counts the listed files as unchecked and fails; a store in the request is used', async () => {
    const unchecked = await verifyLedger(bare, {}, quiet);
    expect(unchecked.signatures.ok).toBe(true);
    expect(unchecked.files).toEqual({ checked: 0, failed: 0, results: [], unchecked: COUNT, unlisted: null });
    expect(unchecked.ok).toBe(false);

    const oneLicense = await verifyLedger(
      bare,
      { licenseIds: [(files[0] as StoredLicenseFile).licenseId] },
      quiet,
    );
    expect(oneLicense.files.unchecked).toBe(1);

    // A pipeline neither the config nor the ledger knows is a mistyped name, not "nothing to check".
    await expect(verifyLedger(bare, { pipeline: 'other' }, quiet)).rejects.toThrow(
      'verify: no pipeline `other` in the config or the ledger',
    );

    const given = await verifyLedger(bare, { store: ws.store }, quiet);
    expect(given.files).toMatchObject({ checked: COUNT, failed: 0, unchecked: 0 });
    expect(given.ok).toBe(true);
  });

  it('fails the run on a changed file even though every signature is valid', async () => {
    const victim = files[0] as StoredLicenseFile;
    const path = join(ws.store, victim.path);
    const original = readFileSync(path);
    const changed = Buffer.from(original);
    changed[100] = (changed[100] as number) ^ 0x01;
    writeFileSync(path, changed);
    try {
      const report = await verifyLedger(ws.config, {}, quiet);
      expect(report.signatures.ok).toBe(true);
      expect(report.ok).toBe(false);
      expect(report.files).toMatchObject({ checked: COUNT, failed: 1, unchecked: 0 });
      const failed = report.files.results.filter((r) => !r.ok);
      expect(failed.map((r) => r.path)).toEqual([victim.path]);
      expect(failed[0]?.reasons.join(' ')).toContain('not the file the ledger recorded');
    } finally {
      writeFileSync(path, original);
    }
  });

  it('trusts the configured signers’ certificates and the trust list, each named', () => {
    expect(configuredTrust(ws.config).map((t) => t.origin)).toEqual(['signer district', 'trust seal-maker']);
  });

  it('verifies OFD files with the trust given, fails them with none, and refuses a path it cannot read', async () => {
    const path = join(ws.store, (files[0] as StoredLicenseFile).path);
    const trusted = await verifyOfdFiles([path, path], configuredTrust(ws.config));
    expect(trusted).toMatchObject({ ok: true, failed: 0 });
    expect(trusted.files.map((f) => [f.file, f.result.ok])).toEqual([
      [path, true],
      [path, true],
    ]);

    const untrusted = await verifyOfdFiles([path], []);
    expect(untrusted).toMatchObject({ ok: false, failed: 1 });
    expect(untrusted.files[0]?.result.signatures[0]?.problems[0]).toMatch(/^untrusted signer: /);

    const absent = join(ws.dir, 'absent.ofd');
    const refused = await verifyOfdFiles([path, absent], []).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LicbridgeError);
    expect(refused).toMatchObject({ code: 'LB_USAGE', message: `verify: cannot read ${absent}: ENOENT` });
  });
});
