// A pipeline whose issuer and signer changed in the config after some of its versions were written
// (a department merged into another): those versions are licenses of the unit that issued them.
// `sign backfill` with the pipeline's signer now must not sign them with the new unit's key: each
// version is signed only by a signer of the unit recorded with it (its payload's issuer and the
// code its license id carries). They stay unsigned, counted and named by license id, and a rerun
// leaves them as they are.
import { readFile, writeFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { sealIdOf } from '../../config/seal-id.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import { signBackfill } from '../../pipelines/batch-sign/backfill.js';
import { Runtime } from '../../pipelines/runtime.js';
import { signVersions } from '../../pipelines/stages/sign.js';
import {
  createSignWorkspace,
  PIPELINE,
  runCli,
  type SignWorkspace,
  seedVersions,
  WORKSPACE_ISSUER,
} from '../cli/sign-workspace.js';
import { FIXTURE_ISSUER, licenseIdOf } from '../ledger/fixtures.js';

/** The unit the pipeline's licenses are issued by now (it took over the district bureau's). */
const NEW_UNIT = '11370281MB1234568H';
const logger = createLogger({ level: 'silent' });

/**
 * A workspace whose pipeline had three versions written while the district bureau issued its
 * licenses, then two after the config named the new unit and its signer; the config as it is now.
 */
async function changedWorkspace(): Promise<{ ws: SignWorkspace; config: Readonly<Config> }> {
  const ws = await createSignWorkspace();
  const url = `sqlite://${ws.ledgerFile}`;
  await seedVersions(url, 3, { runId: 'before' });
  await seedVersions(url, 2, { issuer: NEW_UNIT, from: 4, runId: 'after' });
  const text = (await readFile(ws.configFile, 'utf8'))
    .replace(`code: ${WORKSPACE_ISSUER}`, `code: ${NEW_UNIT}`)
    .replace('signer: district-seal', 'signer: new-seal');
  expect(text).toContain(`code: ${NEW_UNIT}`);
  expect(text).toContain('signer: new-seal');
  await writeFile(ws.configFile, text);
  return { ws, config: await loadConfig({ file: ws.configFile, env: {} }) };
}

const ofUnit = (n: number, unit: string) => licenseIdOf(n, PIPELINE).replace(FIXTURE_ISSUER, unit);

/** The old unit's three versions, as a summary names them. */
const oldUnitVersions = [1, 2, 3].map((n) => ({
  licenseId: ofUnit(n, WORKSPACE_ISSUER),
  version: 1,
  pipeline: PIPELINE,
  issuer: WORKSPACE_ISSUER,
  signerUnit: NEW_UNIT,
}));

function signedLicenses(ledgerFile: string): string[] {
  const db = new Database(ledgerFile, { readonly: true });
  try {
    return (
      db
        .prepare(
          'select v.license_id as id from signatures s join license_versions v on v.version_id = s.version_id order by v.license_id',
        )
        .all() as { id: string }[]
    ).map((r) => r.id);
  } finally {
    db.close();
  }
}

describe('sign backfill: a pipeline whose issuer and signer changed after versions were written', () => {
  let ws: SignWorkspace;
  let config: Readonly<Config>;
  beforeAll(async () => {
    ({ ws, config } = await changedWorkspace());
  });
  afterAll(() => ws.cleanup());

  it("signs only the new unit's versions with its key and names the old unit's, again on a rerun", async () => {
    for (let round = 0; round < 2; round++) {
      const { passes } = await signBackfill(config, logger, { pipelines: [PIPELINE], pageSize: 2 });
      expect(passes).toEqual([
        {
          pipeline: PIPELINE,
          signer: 'new-seal',
          sealId: '3702110000002',
          signed: round === 0 ? 2 : 0,
          skipped: 0,
          otherUnit: 3,
          otherUnits: oldUnitVersions,
          storedText: 0,
          storedTexts: [],
          remaining: 3,
        },
      ]);
      expect(signedLicenses(ws.ledgerFile)).toEqual([4, 5].map((n) => ofUnit(n, NEW_UNIT)));
    }
  });
  it('as a command, lists them with what to do and exits 3', async () => {
    const res = await runCli(['sign', 'backfill', '--config', ws.configFile]);
    expect(res.status).toBe(3);
    expect(res.stdout).toContain(
      `${PIPELINE}: signer new-seal (seal 3702110000002): signed 0, already signed 0, not signed (another issuing unit) 3, remaining 3`,
    );
    expect(res.stdout).toContain(
      `sign backfill: not signed, these 3 version(s) of pipeline ${PIPELINE}: the issuing unit recorded with each is not signer new-seal's (${NEW_UNIT}), and a license is signed by its own unit's signer only\n`,
    );
    for (const v of oldUnitVersions)
      expect(res.stdout).toContain(
        `  ${v.licenseId} version 1 (pipeline ${PIPELINE}): issued by ${WORKSPACE_ISSUER}\n`,
      );
    expect(res.stdout).toContain(
      'licbridge sign resign --seal <a signer of that unit> --license <license id> --all-versions',
    );
    // License ids and codes only: no holder's name.
    expect(res.stdout + res.stderr).not.toContain('经营者');
  });
});

describe('sign stage: versions an earlier run left unsigned, of the unit before the change', () => {
  let ws: SignWorkspace;
  let rt: Runtime;
  beforeAll(async () => {
    const changed = await changedWorkspace();
    ws = changed.ws;
    rt = new Runtime(changed.config, logger);
  });
  afterAll(async () => {
    await rt.close();
    await ws.cleanup();
  });

  it("signs and hands on only the versions of the signer's unit", async () => {
    const parts = await rt.pipeline(PIPELINE);
    expect(parts.signerUnit).toBe(NEW_UNIT);
    const ledger = await rt.ledger();
    // What a run's sweep queues: every unsigned version of the pipeline, old and new.
    const ids = await ledger.unsignedVersionIds({ sealId: '3702110000002', pipeline: PIPELINE, limit: 100 });
    expect(ids).toHaveLength(5);
    const sealId = sealIdOf(rt.config, parts.config);
    const unit = { code: parts.signerUnit, pipeline: PIPELINE };
    const first = await signVersions(parts.signer, sealId, ledger, ids, unit);
    expect(first).toEqual({
      signedIds: ids.slice(3),
      newlySigned: 2,
      otherUnit: oldUnitVersions,
      corrupt: [],
    });
    expect(signedLicenses(ws.ledgerFile)).toEqual([4, 5].map((n) => ofUnit(n, NEW_UNIT)));
    // Again (a sweep later): nothing more signed, the old unit's named again.
    const again = await signVersions(parts.signer, sealId, ledger, ids, unit);
    expect(again).toEqual({
      signedIds: ids.slice(3),
      newlySigned: 0,
      otherUnit: oldUnitVersions,
      corrupt: [],
    });
  });
});
