// `sign backfill` and `sign resign` over versions whose stored license text is damaged in the
// ledger: one cut short (it does not read), one edited (it reads, but no longer hashes to the
// content hash its version records). The sign stage leaves such a version alone; the batch pass
// read it as it stood: the cut text threw out of the whole command, nothing after it signed, and
// the edited text was signed as the unit's license under the content hash of the text it
// replaced. Each is now left unsigned, counted and named by license id and version (never a
// value of it), and the rest is signed.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { pipelinesToSign, signBackfill } from '../../pipelines/batch-sign/backfill.js';
import { resignRequest, resignVersions } from '../../pipelines/batch-sign/resign.js';
import {
  createSignWorkspace,
  PIPELINE,
  runCli,
  type SignWorkspace,
  seedVersions,
} from '../cli/sign-workspace.js';

const logger = createLogger({ level: 'silent' });
const COUNT = 7;
/** Version 2 is cut short, version 5 edited: one in each page of four. */
const BROKEN = 2;
const ALTERED = 5;

interface Row {
  version_id: number;
  license_id: string;
  payload: string;
}

function rows(ledgerFile: string): Row[] {
  const db = new Database(ledgerFile, { readonly: true });
  try {
    return db
      .prepare('select version_id, license_id, payload from license_versions order by version_id')
      .all() as Row[];
  } finally {
    db.close();
  }
}

function signedIds(ledgerFile: string, sealId: string): number[] {
  const db = new Database(ledgerFile, { readonly: true });
  try {
    return (
      db.prepare('select version_id from signatures where seal_id = ? order by version_id').all(sealId) as {
        version_id: number;
      }[]
    ).map((r) => r.version_id);
  } finally {
    db.close();
  }
}

describe('sign backfill and resign: a damaged stored license text', () => {
  let ws: SignWorkspace;
  let config: Readonly<Config>;
  let before: Row[];
  beforeAll(async () => {
    ws = await createSignWorkspace();
    await seedVersions(`sqlite://${ws.ledgerFile}`, COUNT);
    config = await loadConfig({ file: ws.configFile, env: {} });
    before = rows(ws.ledgerFile);
    const db = new Database(ws.ledgerFile);
    try {
      const set = db.prepare('update license_versions set payload = ? where version_id = ?');
      set.run('{"number":"X', BROKEN);
      const altered = before[ALTERED - 1] as Row;
      const edited = altered.payload.replace(/"number":"[^"]*"/, '"number":"EDITED-1"');
      expect(edited).not.toBe(altered.payload);
      set.run(edited, ALTERED);
    } finally {
      db.close();
    }
  });
  afterAll(() => ws.cleanup());

  const fine = Array.from({ length: COUNT }, (_, i) => i + 1).filter((id) => id !== BROKEN && id !== ALTERED);
  const named = () => [
    {
      licenseId: (before[BROKEN - 1] as Row).license_id,
      version: 1,
      problem: expect.stringContaining('does not read'),
    },
    {
      licenseId: (before[ALTERED - 1] as Row).license_id,
      version: 1,
      problem: expect.stringContaining('content hash'),
    },
  ];

  it('backfill signs the rest and leaves the damaged versions unsigned, counted and named', async () => {
    const pipelines = pipelinesToSign(config, undefined);
    const { passes } = await signBackfill(config, logger, { pipelines, pageSize: 4 });
    expect(signedIds(ws.ledgerFile, '3702110000001')).toEqual(fine);
    expect(passes).toEqual([
      expect.objectContaining({
        pipeline: PIPELINE,
        signed: fine.length,
        storedText: 2,
        storedTexts: named(),
        remaining: 2,
      }),
    ]);
    const said = JSON.stringify(passes);
    expect(said).not.toContain('EDITED-1');
    expect(said).not.toContain('经营者');

    // A rerun passes over them the same way, signing nothing twice.
    const again = await signBackfill(config, logger, { pipelines, pageSize: 4 });
    expect(again.passes[0]).toMatchObject({ signed: 0, skipped: 0, storedText: 2, remaining: 2 });
    expect(signedIds(ws.ledgerFile, '3702110000001')).toEqual(fine);
  });

  it('as a command, names them with what to do and exits 3', async () => {
    const res = await runCli(['sign', 'backfill', '--config', ws.configFile]);
    expect(res.status).toBe(3);
    expect(res.stdout).toContain(
      `${PIPELINE}: signer district-seal (seal 3702110000001): signed 0, already signed 0, not signed (stored text corrupt) 2, remaining 2`,
    );
    expect(res.stdout).toContain(
      'sign backfill: not signed, these 2 version(s): their stored license text is corrupt [LB_STORED_TEXT]\n',
    );
    expect(res.stdout).toContain(
      `  ${(before[BROKEN - 1] as Row).license_id} version 1: its stored text does not read`,
    );
    expect(res.stdout).toContain(
      `  ${(before[ALTERED - 1] as Row).license_id} version 1: its stored text does not match`,
    );
    expect(res.stdout).toContain('restore their text from a backup of the ledger');
    expect(res.stdout + res.stderr).not.toContain('经营者');
    expect(res.stdout + res.stderr).not.toContain('EDITED-1');
  });

  it('resign signs the rest under the new seal and leaves the damaged versions unsigned', async () => {
    const request = resignRequest(config, { seal: '3702110000002', pipeline: PIPELINE, allVersions: true });
    const pass = await resignVersions(config, logger, request, { pageSize: 4 });
    expect(signedIds(ws.ledgerFile, '3702110000002')).toEqual(fine);
    expect(pass).toMatchObject({ signed: fine.length, storedText: 2, storedTexts: named(), remaining: 2 });
  });
});
