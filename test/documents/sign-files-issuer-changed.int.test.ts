// A pipeline whose issuer in the config changed after some of its versions were written (units
// merged, a code corrected): those versions are licenses of the unit that issued them. `sign
// backfill --files` with the seal of the pipeline's unit now must not seal them: each version is
// judged by the unit recorded with it (its payload's issuer and the code its license id carries),
// not by the pipeline's issuer as the config states it now. They are left without a file, counted
// and named by license id, for a seal of their own unit.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { License } from '../../catalog/license.js';
import { parseConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { signBackfill } from '../../pipelines/batch-sign/backfill.js';
import { makeTempDir } from '../signers/helpers.js';
import { usePrebuiltConfigValidator } from '../support/prebuilt-config-validator.js';
import { commitLicenses, DISTRICT_ISSUER, signFilesConfig, storedFoodLicense } from './fixtures.js';
import { type SealKit, sealKit } from './seal-kit.js';

await usePrebuiltConfigValidator();

const PIPELINE = 'food';
/** The unit the pipeline's licenses are issued by now (it took over the district bureau's). */
const NEW_UNIT = { name: '青岛市市场监督管理局', code: '11370281MB1234568H' };

/** License `n` written after the change: issued by the new unit, which its id carries too. */
function newUnitLicense(n: number): License {
  const l = storedFoodLicense(n);
  return { ...l, issuer: NEW_UNIT, identifier: l.identifier.replace(DISTRICT_ISSUER.code, NEW_UNIT.code) };
}

describe('sign backfill --files: a pipeline whose issuer changed after versions were written', () => {
  let dir: string;
  let cleanup: () => void;
  let kit: SealKit;
  let ledgerUrl: string;
  const logger = createLogger({ level: 'silent' });

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    kit = await sealKit(dir);
    ledgerUrl = `sqlite://${join(dir, 'ledger.db')}`;
    writeFileSync(join(dir, 'legacy.db'), '');
    const ledger = await openLedger(ledgerUrl, { logger });
    try {
      await ledger.migrate();
      // Three versions written while the district bureau issued the pipeline's licenses, then two
      // after the config named the new unit.
      const run = (runId: string) => ({ pipeline: PIPELINE, runId, mode: 'full' as const });
      await commitLicenses(ledger, run('before'), [1, 2, 3], storedFoodLicense);
      await commitLicenses(ledger, run('after'), [4, 5], newUnitLicense);
    } finally {
      await ledger.close();
    }
  });
  afterAll(() => cleanup());

  it("seals only the new unit's versions with its seal and names the old unit's", async () => {
    // The config as it is now: the pipeline issued by the new unit, whose seal district-seal is
    // (its signer signs for this pipeline alone, so the seal's unit is the pipeline's issuer).
    const text = signFilesConfig(kit, { ledgerUrl, pipeline: PIPELINE }).replace(
      `code: ${DISTRICT_ISSUER.code}`,
      `code: ${NEW_UNIT.code}`,
    );
    expect(text).toContain(NEW_UNIT.code);
    const file = join(dir, 'licbridge.yaml');
    writeFileSync(file, text);
    const config = parseConfig(text, { file });
    const result = await signBackfill(config, logger, {
      pipelines: [PIPELINE],
      pageSize: 100,
      files: { seal: 'district-seal', store: join(dir, 'files'), pageSize: 2 },
    });
    expect(result.files).toMatchObject({ issued: 2, otherUnit: 3 });
    expect(result.files?.otherUnits.map((v) => [v.licenseId, v.issuer])).toEqual(
      [1, 2, 3].map((n) => [storedFoodLicense(n).identifier.slice(0, -6), DISTRICT_ISSUER.code]),
    );
    const ledger = await openLedger(ledgerUrl, { logger });
    try {
      const filed = (await ledger.licenseFiles.list({})).map((f) => f.licenseId);
      expect(filed).toEqual([4, 5].map((n) => newUnitLicense(n).identifier.slice(0, -6)));
    } finally {
      await ledger.close();
    }
  });
});
