/**
 * A ledger of signed versions of the demo's food business license type, a seal, and a config
 * whose `licenseFiles.store` holds sealed files for the first versions: what the license-file
 * delivery tests start from. Files are issued through `sign files`' own pipeline, so the store
 * and the ledger's SM3 and size are the real ones.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { contentHash } from '../../catalog/canonical.js';
import type { License } from '../../catalog/license.js';
import { parseConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { issueFilesBackfill } from '../../pipelines/issue-license-files.js';
import { storeRoot } from '../../pipelines/license-file-store.js';
import { foodLicense } from '../documents/fixtures.js';
import { type SealKit, sealKit } from '../documents/seal-kit.js';
import { signature } from '../ledger/fixtures.js';
import { makeTempDir } from '../signers/helpers.js';
import { ROOT } from '../support/cli.js';

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
    identifier: `1.2.156.3005.2.11370200MB12345674001.11370211MB1234567X.D${String(n).padStart(8, '0')}.001.F`,
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
  const text = [
    `ledger: { url: "${ledgerUrl}" }`,
    `catalog: ${join(ROOT, 'examples/west-coast/catalog')}`,
    'log: { level: warn }',
    'licenseFiles: { store: ./files }',
    'sources: { market-food: { kind: sqlite, path: ./legacy.db } }',
    'pipelines:',
    `  ${PIPELINE}:`,
    '    source: market-food',
    '    stream: { table: T, key: ID }',
    `    mapping: ${join(ROOT, 'examples/west-coast/mappings/food-business-license.yaml')}`,
    '    licenseType: 11370200MB12345674001',
    '    issuer: { name: 青岛西海岸新区市场监督管理局, code: 11370211MB12345672 }',
    '    signer: district',
    '    targets: [province]',
    'targets: { province: { kind: rest-json, url: "http://127.0.0.1:9" } }',
    `signers: { district: { kind: local-sm2, keyFile: ${kit.holder.keyPath}, certificate: ${kit.holder.certPath}, sealId: ${SEAL_ID}, workers: 0 } }`,
    `seals: { district-seal: { file: ${kit.sealFile}, signer: district } }`,
    // The seal maker trusted, so `verify` accepts the files' seals.
    `trust: { seal-maker: { sealId: maker, file: ${kit.maker.certPath} } }`,
    ...(options.configLines ?? []),
    '',
  ].join('\n');
  writeFileSync(file, text);
  writeFileSync(join(dir, 'legacy.db'), '');
  const config = parseConfig(text, { file });
  const ledger = await openLedger(ledgerUrl, { logger: quiet });
  await ledger.migrate();
  await ledger.startRun({ runId: 'seed', pipeline: PIPELINE, mode: 'full' });
  const page = await ledger.commitPage({
    pipeline: PIPELINE,
    runId: 'seed',
    checkpoint: encodeKeyPosition({ cursor: null, key: String(count) }),
    rowsRead: count,
    candidates: Array.from({ length: count }, (_, i) => {
      const l = license(i + 1);
      return {
        licenseId: l.identifier.slice(0, -6),
        sourceKey: String(i + 1),
        contentHash: contentHash(l),
        status: 'valid' as const,
        lineage: {
          pipeline: PIPELINE,
          source: 'market-food',
          sourceKey: String(i + 1),
          runId: 'seed',
          catalogVersion: 'c',
          mappingVersion: 'm',
        },
        build: () => l,
      };
    }),
    quarantined: [],
  });
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
