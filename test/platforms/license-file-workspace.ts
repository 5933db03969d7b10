/**
 * A ledger of signed versions of the demo's food business license type, a seal, and a config
 * whose `licenseFiles.store` holds sealed files for the first versions: what the license-file
 * delivery tests start from. Files are issued through `sign files`' own pipeline, so the store
 * and the ledger's SM3 and size are the real ones.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { License } from '../../catalog/license.js';
import { parseConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { issueFilesBackfill } from '../../pipelines/issue-license-files.js';
import { storeRoot } from '../../pipelines/license-file-store.js';
import {
  commitLicenses,
  DISTRICT_ISSUER,
  foodLicense,
  signFilesConfig,
  upTo,
} from '../documents/fixtures.js';
import { type SealKit, sealKit } from '../documents/seal-kit.js';
import { signature } from '../ledger/fixtures.js';
import { makeTempDir } from '../signers/helpers.js';
import { usePrebuiltConfigValidator } from '../support/prebuilt-config-validator.js';

export const PIPELINE = 'food';
export const SEAL_ID = 'district';
export const quiet = createLogger({ level: 'silent' });

export interface FileWorkspace {
  dir: string;
  kit: SealKit;
  config: Readonly<Config>;
  /** Absolute root of the file store (`licenseFiles.store`, `./files`). */
  store: string;
  ledger: Ledger;
  /** Version ids, ascending; the first `withFiles` have a file. */
  versionIds: number[];
  /** Issues files for versions that have none (up to `limit`). */
  issue(limit?: number): Promise<number>;
  close(): Promise<void>;
}

function license(n: number): License {
  const l = foodLicense(n);
  return {
    ...l,
    issuer: DISTRICT_ISSUER,
    identifier: `1.2.156.3005.2.11370200MB12345674001.${DISTRICT_ISSUER.code}.D${String(n).padStart(8, '0')}.001.F`,
  };
}

/**
 * `signed: 'recorded'` (default) records stand-in signatures (delivery only needs one to exist);
 * `'none'` leaves the versions unsigned, for a test that signs them for real (`sign backfill`).
 * `configLines` are added to the config's top level (`lifecycle: { timeZone: … }`).
 */
export async function fileWorkspace(
  count: number,
  withFiles: number,
  options: { signed?: 'recorded' | 'none'; configLines?: readonly string[] } = {},
): Promise<FileWorkspace> {
  const { dir, cleanup } = makeTempDir();
  const kit = await sealKit(dir);
  const ledgerUrl = `sqlite://${join(dir, 'ledger.db')}`;
  const file = join(dir, 'licbridge.yaml');
  const text = signFilesConfig(kit, {
    ledgerUrl,
    pipeline: PIPELINE,
    target: 'province: { kind: rest-json, url: "http://127.0.0.1:9" }',
    lines: [
      'licenseFiles: { store: ./files }',
      // The seal maker trusted, so `verify` accepts the files' seals.
      `trust: { seal-maker: { sealId: maker, file: ${kit.maker.certPath} } }`,
      ...(options.configLines ?? []),
    ],
  });
  writeFileSync(file, text);
  writeFileSync(join(dir, 'legacy.db'), '');
  // The validator compiled ahead of time, as commands load it: parseConfig alone compiled the
  // config schema again in each file that makes a workspace (../support/prebuilt-config-validator.ts).
  await usePrebuiltConfigValidator();
  const config = parseConfig(text, { file });
  const ledger = await openLedger(ledgerUrl, { logger: quiet });
  await ledger.migrate();
  const page = await commitLicenses(
    ledger,
    { pipeline: PIPELINE, runId: 'seed', mode: 'full' },
    upTo(count),
    license,
  );
  const versionIds = page.created.map((c) => c.versionId).sort((a, b) => a - b);
  if (options.signed !== 'none')
    await ledger.recordSignatures(versionIds.map((id) => signature(id, SEAL_ID)));
  // The store the config names (`./files`, relative to the config file), as `sign files` finds it.
  const store = storeRoot(config, undefined, 'test');
  const issue = async (limit?: number) =>
    (
      await issueFilesBackfill(
        config,
        ledger,
        { seal: 'district-seal', storeRoot: store, pageSize: 10, ...(limit !== undefined ? { limit } : {}) },
        quiet,
      )
    ).issued;
  await issue(withFiles);
  return {
    dir,
    kit,
    config,
    store,
    ledger,
    versionIds,
    issue,
    close: async () => {
      await ledger.close();
      cleanup();
    },
  };
}
