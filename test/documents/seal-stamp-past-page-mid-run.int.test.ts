// `sign files` checks the seal against the templates of the license types its pipelines name when
// it opens the seal (seal-stamp-past-page). A version of a type no pipeline names now (the
// pipeline's licenseType changed since it was written) is checked only by the file writer, when its
// page comes: that page is refused whole before anything is sealed, the pages before it stay issued
// and recorded, nothing of the refused page is written, and the store's lock is let go.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { License } from '../../catalog/license.js';
import { parseConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { issueFilesBackfill } from '../../pipelines/issue-license-files.js';
import { makeTempDir } from '../signers/helpers.js';
import { ROOT } from '../support/cli.js';
import { usePrebuiltConfigValidator } from '../support/prebuilt-config-validator.js';
import { commitLicenses, DISTRICT_ISSUER, foodLicense, signFilesConfig } from './fixtures.js';
import { sealKit } from './seal-kit.js';

await usePrebuiltConfigValidator();

const quiet = createLogger({ level: 'silent' });
const FOOD = '11370200MB12345674001';
const ROAD = '11370211MB0000001D001';

/** Every file under `root`, relative. */
const filesIn = (root: string): string[] =>
  (readdirSync(root, { recursive: true, withFileTypes: true }) as { isFile(): boolean; name: string }[])
    .filter((f) => f.isFile())
    .map((f) => f.name)
    .sort();

/** License `n` of `type` (its identifier carrying the type code). */
function licenseOf(type: { code: string; name: string }, n: number): License {
  const l = foodLicense(n);
  return {
    ...l,
    type: { ...l.type, ...type },
    issuer: DISTRICT_ISSUER,
    identifier: `1.2.156.3005.2.${type.code}.${DISTRICT_ISSUER.code}.D${String(n).padStart(8, '0')}.001.F`,
  };
}

describe('a seal reaching past the page of a type no pipeline names', () => {
  let dir: string;
  let cleanup: () => void;
  let config: Readonly<Config>;
  let ledger: Ledger;
  let store: string;

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    const kit = await sealKit(dir);
    // 100 mm: 1 mm past the bottom edge centred on the food template's box (200, 140, 42 × 42).
    const sealFile = await kit.sizedSeal(join(dir, 'big.esl'), 100, 100, '37021100000100');
    // The road template's seal box moved up, where the 100 mm seal lies on the page (and below
    // the QR code's quiet zone, which the catalog keeps clear).
    const catalog = join(dir, 'catalog');
    mkdirSync(catalog);
    copyFileSync(
      join(ROOT, 'examples/west-coast/catalog/food-business-license.yaml'),
      join(catalog, 'food.yaml'),
    );
    const road = readFileSync(
      join(ROOT, 'examples/west-coast/road-transport/catalog/road-transport-license.yaml'),
      'utf8',
    ).replace(
      'seal: { x: 192, y: 142, width: 42, height: 42 }',
      'seal: { x: 192, y: 100, width: 42, height: 42 }',
    );
    expect(road).toContain('y: 100, width: 42');
    writeFileSync(join(catalog, 'road.yaml'), road);
    const ledgerUrl = `sqlite://${join(dir, 'ledger.db')}`;
    // The pipeline reads road-transport licenses now; it wrote food licenses before.
    const text = signFilesConfig({ ...kit, sealFile }, { ledgerUrl, pipeline: 'food', catalog }).replace(
      `licenseType: ${FOOD}`,
      `licenseType: ${ROAD}`,
    );
    expect(text).toContain(`licenseType: ${ROAD}`);
    const file = join(dir, 'licbridge.yaml');
    writeFileSync(file, text);
    config = parseConfig(text, { file });
    ledger = await openLedger(ledgerUrl, { logger: quiet });
    await ledger.migrate();
    const road1 = { code: ROAD, name: '道路运输经营许可证' };
    const food1 = { code: FOOD, name: '食品经营许可证' };
    // Two road versions first, then a food one: one page each.
    await commitLicenses(ledger, { pipeline: 'food', runId: 'seed', mode: 'full' }, [1, 2, 3], (n) =>
      licenseOf(n === 3 ? food1 : road1, n),
    );
    store = join(dir, 'files');
  });
  afterAll(async () => {
    await ledger?.close();
    cleanup?.();
  });

  const issue = () =>
    issueFilesBackfill(config, ledger, { seal: 'district-seal', storeRoot: store, pageSize: 1 }, quiet).then(
      () => undefined,
      (e: unknown) => e as Error,
    );

  it('refuses its page before sealing it, keeping the pages before issued and recorded', async () => {
    const error = await issue();
    expect(error?.message).toContain(
      `license file: seal district-seal prints 100 × 100 mm; centred on the seal box of the face template of license type ${FOOD} (食品经营许可证) (face.seal: 200, 140, 42 × 42 mm) it would reach 1 mm past the bottom edge`,
    );
    const recorded = await ledger.licenseFiles.list({});
    expect(recorded).toHaveLength(2);
    // The two road files, and nothing of the refused page (no temporary file either).
    const names = recorded.map((f) => f.path.split('/').pop() as string).sort();
    expect(names.every((name) => name.endsWith('.001.ofd'))).toBe(true);
    expect(filesIn(store).filter((f) => f !== '.lock')).toEqual(names);
    expect(recorded.every((f) => f.path.startsWith(`${ROAD}/`))).toBe(true);
    // Run again: the lock was let go, and the same page is refused the same way.
    expect((await issue())?.message).toContain('license file: seal district-seal prints 100 × 100 mm');
    expect(await ledger.licenseFiles.list({})).toHaveLength(2);
  });
});
