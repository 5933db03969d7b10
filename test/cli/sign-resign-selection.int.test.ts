/**
 * `sign resign` given a selection the ledger cannot answer — a license id it does not hold, a
 * license of another pipeline than `--pipeline`, a `--from-seal` that signed nothing — refuses it
 * as a mistake (exit 2), naming what was not found, before a single signature: it used to sign
 * nothing, say "signed 0" and exit 0, so a mistyped id passed for a done job.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { resignRequest, resignVersions } from '../../pipelines/batch-sign/resign.js';
import { createSignWorkspace, PIPELINE, runCli, type SignWorkspace, seedVersions } from './sign-workspace.js';

const COUNT = 5;
const NEW_SEAL = '3702110000002';
const MISSING = '1.2.156.3005.2.11370200MB1234567X001.11370211MB12345672.food-business-licenses99999999';

describe('sign resign with a selection the ledger does not hold', () => {
  let ws: SignWorkspace;
  let held: string[];
  beforeAll(async () => {
    ws = await createSignWorkspace();
    await seedVersions(`sqlite://${ws.ledgerFile}`, COUNT);
    const ledger = await openLedger(`sqlite://${ws.ledgerFile}`);
    try {
      held = (await ledger.versionPage({ afterVersionId: 0, limit: COUNT })).map((v) => v.licenseId);
    } finally {
      await ledger.close();
    }
    expect(held).toHaveLength(COUNT);
  });
  afterAll(() => ws.cleanup());

  const signaturesBy = (sealId: string): number => {
    const db = new Database(ws.ledgerFile, { readonly: true });
    try {
      return (
        db.prepare('select count(*) as n from signatures where seal_id = ?').get(sealId) as { n: number }
      ).n;
    } finally {
      db.close();
    }
  };

  const resign = (...args: string[]) =>
    runCli(['sign', 'resign', '--seal', 'new-seal', ...args, '--config', ws.configFile]);

  it('refuses a license id not in the ledger, naming it, and signs nothing', async () => {
    const r = await resign('--license', MISSING);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`sign resign: no such license in the ledger: ${MISSING}`);
    expect(r.stderr).toContain('[LB_USAGE]');
    expect(r.stdout).toBe('');
    expect(signaturesBy(NEW_SEAL)).toBe(0);
  });

  it('refuses the whole selection when one of several ids is not in the ledger', async () => {
    const r = await resign('--license', held[0] as string, MISSING, '--json');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(MISSING);
    expect(r.stderr).not.toContain(held[0] as string);
    expect(r.stdout).toBe('');
    expect(signaturesBy(NEW_SEAL)).toBe(0);
  });

  it('refuses a --from-seal that signed nothing in the ledger, naming it', async () => {
    const r = await resign('--from-seal', '3702119999999');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('sign resign: no version in the ledger is signed by seal `3702119999999`');
    expect(signaturesBy(NEW_SEAL)).toBe(0);
  });

  it('refuses a license held under another pipeline than --pipeline, naming where it is', async () => {
    const loaded = await loadConfig({ file: ws.configFile, env: {} });
    // A second pipeline of the config that holds none of the seeded licenses.
    const config = { ...loaded, pipelines: { ...loaded.pipelines, other: loaded.pipelines[PIPELINE] } };
    const request = resignRequest(config as typeof loaded, {
      seal: 'new-seal',
      pipeline: 'other',
      licenseIds: [held[1] as string],
    });
    const refused = await resignVersions(
      config as typeof loaded,
      createLogger({ level: 'silent' }),
      request,
      {
        pageSize: 10,
      },
    ).catch((e: unknown) => e);
    expect(refused).toMatchObject({
      code: 'LB_USAGE',
      message: expect.stringContaining(`${held[1]}: not in pipeline other, it is in pipeline ${PIPELINE}`),
    });
    expect(signaturesBy(NEW_SEAL)).toBe(0);
  });

  it('still re-signs what it is given once the ledger holds it, and a rerun exits 0 with nothing left', async () => {
    const r = await resign('--license', held[0] as string, '--json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ signed: 1, remaining: 0 });
    const again = await resign('--license', held[0] as string, '--json');
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ signed: 0, remaining: 0 });
    // The new seal has signed now: as --from-seal it selects, even when nothing is left to do.
    // (From a seal to itself is refused: sign-resign-same-seal.)
    const back = ['sign', 'resign', '--seal', 'district-seal', '--from-seal', NEW_SEAL, '--json'];
    const from = await runCli([...back, '--config', ws.configFile]);
    expect(from.status).toBe(0);
    expect(JSON.parse(from.stdout)).toMatchObject({ signed: 1, remaining: 0 });
    const fromAgain = await runCli([...back, '--config', ws.configFile]);
    expect(fromAgain.status).toBe(0);
    expect(JSON.parse(fromAgain.stdout)).toMatchObject({ signed: 0, remaining: 0 });
  });
});
