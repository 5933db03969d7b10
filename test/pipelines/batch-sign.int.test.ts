/**
 * Signature backfill and re-signing as use cases, without the CLI: a limit signs exactly that many
 * and tells its display so, a stop asked for between pages leaves the rest for the next call, which
 * signs exactly the rest; resign adds a second seal's signatures to a selection. Counted in the ledger.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Signer } from '../../adapters/signers/signer.js';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger, ResignSelection, StoredSignature } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { pipelinesToSign, signBackfill } from '../../pipelines/batch-sign/backfill.js';
import { type PassProgressFactory, signPass } from '../../pipelines/batch-sign/pass.js';
import { resignRequest, resignVersions } from '../../pipelines/batch-sign/resign.js';
import { openRegisteredSigner } from '../../pipelines/signing-keys.js';
import { createSignWorkspace, PIPELINE, type SignWorkspace, seedVersions } from '../cli/sign-workspace.js';

const COUNT = 500;
const logger = createLogger({ level: 'silent' });

describe('batch signing use cases', () => {
  let ws: SignWorkspace;
  let config: Readonly<Config>;
  beforeAll(async () => {
    ws = await createSignWorkspace();
    await seedVersions(`sqlite://${ws.ledgerFile}`, COUNT);
    config = await loadConfig({ file: ws.configFile, env: {} });
  });
  afterAll(() => ws.cleanup());

  const signatures = (sealId: string): number => {
    const db = new Database(ws.ledgerFile, { readonly: true });
    try {
      return (
        db.prepare('select count(*) as n from signatures where seal_id = ?').get(sealId) as { n: number }
      ).n;
    } finally {
      db.close();
    }
  };

  it('asked to stop before a pipeline, counts it without opening its signer or showing a display', async () => {
    const shown: string[] = [];
    const stopped = await signBackfill(config, logger, {
      pipelines: pipelinesToSign(config, undefined),
      pageSize: 50,
      stopping: () => true,
      progress: (pass) => {
        shown.push(String(pass.pipeline));
        return { add() {}, finish() {} };
      },
    });
    expect(shown).toEqual([]);
    expect(stopped.passes).toEqual([
      expect.objectContaining({ pipeline: PIPELINE, signed: 0, skipped: 0, remaining: COUNT }),
    ]);
  });

  it('signs up to the limit, shows it, stops when asked between pages, and a rerun signs the rest', async () => {
    const shown: { pipeline: string | null; total: number; added: number; finished: boolean }[] = [];
    const progress: PassProgressFactory = (pass, total) => {
      const entry = { pipeline: pass.pipeline, total, added: 0, finished: false };
      shown.push(entry);
      return {
        add(n) {
          entry.added += n;
        },
        finish() {
          entry.finished = true;
        },
      };
    };
    const pipelines = pipelinesToSign(config, undefined);
    const limited = await signBackfill(config, logger, { pipelines, pageSize: 50, limit: 120, progress });
    expect(limited.passes).toEqual([
      {
        pipeline: PIPELINE,
        signer: 'district-seal',
        sealId: '3702110000001',
        signed: 120,
        skipped: 0,
        otherUnit: 0,
        otherUnits: [],
        storedText: 0,
        storedTexts: [],
        remaining: 380,
      },
    ]);
    expect(shown).toEqual([{ pipeline: PIPELINE, total: 120, added: 120, finished: true }]);

    let asked = false;
    const stopped = await signBackfill(config, logger, {
      pipelines,
      pageSize: 50,
      stopping: () => asked,
      progress: () => ({
        add() {
          asked = true;
        },
        finish() {},
      }),
    });
    const [pass] = stopped.passes;
    expect(pass?.signed).toBeGreaterThan(0);
    expect(pass?.signed).toBeLessThan(380);
    expect((pass?.signed ?? 0) % 50).toBe(0);
    expect(pass?.remaining).toBe(380 - (pass?.signed ?? 0));

    const rest = await signBackfill(config, logger, { pipelines, pageSize: 50 });
    expect(rest.passes[0]).toMatchObject({ signed: pass?.remaining, skipped: 0, remaining: 0 });
    expect(signatures('3702110000001')).toBe(COUNT);
  });

  it('re-signs a selection under another seal, found by its seal id, and keeps the first signatures', async () => {
    const request = resignRequest(config, { seal: '3702110000002', pipeline: PIPELINE });
    expect(request.signerName).toBe('new-seal');
    const pass = await resignVersions(config, logger, request, { pageSize: 40, limit: 90 });
    expect(pass).toEqual({
      pipeline: PIPELINE,
      signer: 'new-seal',
      sealId: '3702110000002',
      signed: 90,
      skipped: 0,
      // A re-sign is the operator's choice of signer: no version is passed over for its unit.
      otherUnit: 0,
      otherUnits: [],
      storedText: 0,
      storedTexts: [],
      remaining: COUNT - 90,
    });
    expect(signatures('3702110000002')).toBe(90);
    expect(signatures('3702110000001')).toBe(COUNT);
  });

  it('counts what a re-sign still selects in the database, as many as its pages would list', async () => {
    const ledger = await openLedger(`sqlite://${ws.ledgerFile}`);
    try {
      const all = async (sel: Omit<ResignSelection, 'afterVersionId' | 'limit'>): Promise<number> => {
        let n = 0;
        let after = 0;
        for (;;) {
          const page = await ledger.resignCandidates({ ...sel, afterVersionId: after, limit: 64 });
          if (page.length === 0) return n;
          n += page.length;
          after = page[page.length - 1] as number;
        }
      };
      const someLicenses = (await ledger.versionPage({ afterVersionId: 0, limit: 7 })).map(
        (v) => v.licenseId,
      );
      const selections: Omit<ResignSelection, 'afterVersionId' | 'limit'>[] = [
        { sealId: '3702110000002' },
        { sealId: '3702110000002', pipeline: PIPELINE, allVersions: true },
        { sealId: '3702110000002', fromSealId: '3702110000001' },
        { sealId: '3702110000001', fromSealId: '3702110000002' },
        { sealId: '3702110000002', licenseIds: someLicenses },
        { sealId: '3702110000002', pipeline: 'nope' },
      ];
      for (const sel of selections) {
        const counted = await ledger.countResignCandidates(sel);
        expect({ sel, counted }).toEqual({ sel, counted: await all(sel) });
      }
      expect(await ledger.countResignCandidates(selections[0] as ResignSelection)).toBe(COUNT - 90);
    } finally {
      await ledger.close();
    }
  });

  it('shows a re-sign without a limit its progress, out of the versions it selects', async () => {
    const shown: { total: number; added: number; finished: boolean }[] = [];
    const progress: PassProgressFactory = (_pass, total) => {
      const entry = { total, added: 0, finished: false };
      shown.push(entry);
      return {
        add(n) {
          entry.added += n;
        },
        finish() {
          entry.finished = true;
        },
      };
    };
    const ledger = await openLedger(`sqlite://${ws.ledgerFile}`);
    const some = (await ledger.versionPage({ afterVersionId: COUNT - 3, limit: 3 })).map((v) => v.licenseId);
    await ledger.close();
    const chosen = resignRequest(config, { seal: 'new-seal', licenseIds: some, allVersions: true });
    const pass = await resignVersions(config, logger, chosen, { pageSize: 40, progress });
    expect(pass.signed).toBeGreaterThan(0);
    // Run again, the same selection holds nothing left to sign: shown as an empty pass.
    const none = await resignVersions(config, logger, chosen, { pageSize: 40, progress });
    expect(none.signed).toBe(0);
    expect(shown).toEqual([
      { total: pass.signed, added: pass.signed, finished: true },
      { total: 0, added: 0, finished: true },
    ]);
  });

  it('records the page being written before a failure of the next page ends the pass', async () => {
    const ledger = await openLedger(`sqlite://${ws.ledgerFile}`, { logger });
    const signerConfig = config.signers['district-seal'];
    if (!signerConfig) throw new Error('no district-seal');
    const real = await openRegisteredSigner(ledger, 'district-seal', signerConfig);
    try {
      const sealId = '3702110000009';
      let calls = 0;
      // Only what a pass asks of them; the second page's signing fails.
      const signer = {
        sign: (bytes: Uint8Array[]) => {
          calls += 1;
          if (calls === 2) return Promise.reject(new Error('signer: lost'));
          return real.sign(bytes).then((rs) => rs.map((r) => ({ ...r, sealId })));
        },
      } as unknown as Signer;
      // A slow ledger: the first page's write is still going when the second page fails.
      const slow = {
        getVersions: (ids: number[]) => ledger.getVersions(ids),
        recordSignatures: (rows: StoredSignature[]) =>
          new Promise((r) => setTimeout(r, 300)).then(() => ledger.recordSignatures(rows)),
      } as unknown as Ledger;
      const failed = await signPass({
        ledger: slow,
        signer,
        sealId,
        pageSize: 10,
        nextPage: (after, n) => ledger.unsignedVersionPage({ sealId, afterVersionId: after, limit: n }),
      }).catch((e: unknown) => e);
      expect(failed).toMatchObject({ message: 'signer: lost' });
      expect(signatures(sealId)).toBe(10);
    } finally {
      await real.close();
      await ledger.close();
    }
  });

  it('refuses an unknown signer or pipeline before opening anything, naming what there is', () => {
    expect(() => resignRequest(config, { seal: 'nope' })).toThrow(
      /no signer or seal id `nope`.*district-seal, new-seal/,
    );
    expect(() => resignRequest(config, { seal: 'new-seal', pipeline: 'nope' })).toThrow(/no pipeline `nope`/);
    expect(() => pipelinesToSign(config, 'nope')).toThrow(/no pipeline `nope`/);
  });
});
