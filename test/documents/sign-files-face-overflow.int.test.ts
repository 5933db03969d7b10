// `licbridge sign files` and `sign backfill --files` over a ledger where some licenses' address is
// too long for the face template even at the box's minSize: every other version gets its file,
// those get none — a sealed face must not show a cut address — and the run counts and names them
// (license, version, box; never the address), says what to fix, and exits 3 (needs a person).
// A whole page of them is passed over within the run; once the template is fixed, a rerun issues them.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { License } from '../../catalog/license.js';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import type { FaceOverflowVersion } from '../../pipelines/issue-license-files.js';
import { makeTempDir } from '../signers/helpers.js';
import { licbridge, ROOT } from '../support/cli.js';
import { commitLicenses, signFilesConfig, storedFoodLicense, upTo } from './fixtures.js';
import { sealKit } from './seal-kit.js';

const N = 25;
const PAGE = 5;
const PIPELINE = 'food';
/**
 * Versions 6–10 (a whole page of 5) and 17: their address does not fit two lines even at 3.375 mm;
 * it fits three at 3.6 mm.
 */
const TOO_LONG = new Set([6, 7, 8, 9, 10, 17]);
const ADDRESS = `山东省青岛市黄岛区${'长江中路海韵广场东北角'.repeat(8)}`;
const CATALOG = join(ROOT, 'examples/west-coast/catalog/food-business-license.yaml');
const PREMISES_BOX = 'texts[4] (surface.premises)';

function license(n: number): License {
  const l = storedFoodLicense(n);
  return {
    ...l,
    surface: TOO_LONG.has(n) ? { ...l.surface, premises: ADDRESS } : l.surface,
  };
}

const licenseId = (n: number) => license(n).identifier.slice(0, -6);

async function seed(ledgerUrl: string): Promise<void> {
  const ledger = await openLedger(ledgerUrl, { logger: createLogger({ level: 'silent' }) });
  try {
    await ledger.migrate();
    await commitLicenses(ledger, { pipeline: PIPELINE, runId: 'seed', mode: 'full' }, upTo(N), license);
  } finally {
    await ledger.close();
  }
}

function ofdCount(root: string): number {
  return (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ofd')).length;
}

describe('license files whose face text does not fit the template', () => {
  let dir: string;
  let cleanup: () => void;
  let configText: (ledger: string, catalog: string) => string;

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    const kit = await sealKit(dir);
    writeFileSync(join(dir, 'legacy.db'), '');
    configText = (ledger, catalog) =>
      signFilesConfig(kit, { ledgerUrl: `sqlite://${join(dir, ledger)}`, pipeline: PIPELINE, catalog });
    // The fix a person makes: the address box may take three lines, which end above 主体业态's box
    // (91 + 18.9 mm < 110; eight would reach into it and the catalog would not load).
    const fixed = join(dir, 'fixed-catalog');
    await mkdir(fixed);
    const yaml = readFileSync(CATALOG, 'utf8');
    expect(yaml).toContain('size: 4.5, maxLines: 2 }');
    writeFileSync(
      join(fixed, 'food-business-license.yaml'),
      yaml.replace('size: 4.5, maxLines: 2 }', 'size: 4.5, maxLines: 3 }'),
    );
  });
  afterAll(() => cleanup());

  const expectedOverflows: FaceOverflowVersion[] = [...TOO_LONG].map((n) => ({
    licenseId: licenseId(n),
    version: 1,
    boxes: [PREMISES_BOX],
  }));

  it('sign files issues the others, refuses those, names them without values and exits 3; a rerun after the fix issues them', async () => {
    writeFileSync(join(dir, 'files.yaml'), configText('files.db', join(ROOT, 'examples/west-coast/catalog')));
    writeFileSync(join(dir, 'files-fixed.yaml'), configText('files.db', join(dir, 'fixed-catalog')));
    await seed(`sqlite://${join(dir, 'files.db')}`);
    const store = join(dir, 'files');
    const args = ['sign', 'files', '--seal', 'district-seal', '--store', store, '--page-size', String(PAGE)];

    const first = await licbridge([...args, '--json', '-c', join(dir, 'files.yaml')]);
    expect(first.status, first.stderr).toBe(3);
    expect(JSON.parse(first.stdout)).toEqual({
      issued: N - TOO_LONG.size,
      withoutTemplate: 0,
      faceOverflow: TOO_LONG.size,
      faceOverflows: expectedOverflows,
      otherUnit: 0,
      otherUnits: [],
      storedText: 0,
      storedTexts: [],
      bytes: expect.any(Number),
      leftoversRemoved: 0,
      unlistedRemoved: 0,
      notInStore: 0,
      stopped: false,
    });
    expect(ofdCount(store)).toBe(N - TOO_LONG.size);
    // The log warns, with the box and never the address.
    expect(first.stderr).toContain('face text does not fit its box even at minSize');
    expect(first.stderr).toContain('surface.premises');

    const again = await licbridge([...args, '-c', join(dir, 'files.yaml')]);
    expect(again.status).toBe(3);
    expect(again.stdout).toContain(
      'sign files: 0 file(s) issued (0 bytes); 6 version(s) not issued: face text does not fit',
    );
    for (const n of TOO_LONG)
      expect(again.stdout).toContain(`  ${licenseId(n)} version 1: ${PREMISES_BOX}\n`);
    expect(again.stdout).toMatch(
      /widen the box named \(`width`\), raise its `maxLines` or lower its `minSize`/,
    );
    for (const out of [first.stdout, first.stderr, again.stdout, again.stderr]) {
      expect(out).not.toContain('长江中路海韵广场东北角');
    }

    const fixed = await licbridge([...args, '--json', '-c', join(dir, 'files-fixed.yaml')]);
    expect(fixed.status, fixed.stderr).toBe(0);
    expect(JSON.parse(fixed.stdout)).toMatchObject({
      issued: TOO_LONG.size,
      faceOverflow: 0,
      faceOverflows: [],
    });
    expect(ofdCount(store)).toBe(N);
  });

  it('a file written for a version but never recorded (a killed run) is removed when the rerun refuses the version', async () => {
    // The killed run: every face fit its template then, and all files were written; its ledger
    // never recorded them. The rerun's ledger, seeded alike, lists no file for any version.
    writeFileSync(join(dir, 'killed.yaml'), configText('killed.db', join(dir, 'fixed-catalog')));
    writeFileSync(join(dir, 'rerun.yaml'), configText('rerun.db', join(ROOT, 'examples/west-coast/catalog')));
    await seed(`sqlite://${join(dir, 'killed.db')}`);
    await seed(`sqlite://${join(dir, 'rerun.db')}`);
    const store = join(dir, 'unrecorded-files');
    const args = [
      'sign',
      'files',
      '--seal',
      'district-seal',
      '--store',
      store,
      '--page-size',
      String(PAGE),
      '--json',
    ];
    const killed = await licbridge([...args, '-c', join(dir, 'killed.yaml')]);
    expect(killed.status, killed.stderr).toBe(0);
    expect(ofdCount(store)).toBe(N);

    const rerun = await licbridge([...args, '-c', join(dir, 'rerun.yaml')]);
    expect(rerun.status, rerun.stderr).toBe(3);
    expect(JSON.parse(rerun.stdout)).toMatchObject({
      issued: N - TOO_LONG.size,
      faceOverflow: TOO_LONG.size,
      unlistedRemoved: TOO_LONG.size,
    });
    // One file per ledger row, and none the ledger does not list.
    const ledger = await openLedger(`sqlite://${join(dir, 'rerun.db')}`, {
      logger: createLogger({ level: 'silent' }),
    });
    try {
      const listed = (await ledger.licenseFiles.list({})).map((f) => f.path).sort();
      expect(
        (readdirSync(store, { recursive: true }) as string[]).filter((f) => f.endsWith('.ofd')).sort(),
      ).toEqual(listed);
    } finally {
      await ledger.close();
    }
    // Said per page, by count: the two pages holding refused versions (6–10, 17).
    const said = rerun.stderr.split('\n').filter((l) => l.includes('a killed run wrote but never recorded'));
    expect(said.map((l) => (JSON.parse(l) as { removed: number }).removed)).toEqual([5, 1]);
    for (const l of said) expect(l).not.toContain('.ofd');
  });

  it('sign backfill --files signs every version, issues the files that fit and exits 3 naming the rest', async () => {
    writeFileSync(
      join(dir, 'backfill.yaml'),
      configText('backfill.db', join(ROOT, 'examples/west-coast/catalog')),
    );
    await seed(`sqlite://${join(dir, 'backfill.db')}`);
    const store = join(dir, 'backfill-files');
    const args = ['sign', 'backfill', '--files', '--seal', 'district-seal', '--store', store];
    const r = await licbridge([
      ...args,
      '--files-page-size',
      String(PAGE),
      '--json',
      '-c',
      join(dir, 'backfill.yaml'),
    ]);
    expect(r.status, r.stderr).toBe(3);
    const out = JSON.parse(r.stdout) as { signed: number; files: Record<string, unknown> };
    expect(out.signed).toBe(N);
    expect(out.files).toMatchObject({
      issued: N - TOO_LONG.size,
      faceOverflow: TOO_LONG.size,
      faceOverflows: expectedOverflows,
    });
    expect(ofdCount(store)).toBe(N - TOO_LONG.size);

    const text = await licbridge([...args, '-c', join(dir, 'backfill.yaml')]);
    expect(text.status).toBe(3);
    expect(text.stdout).toContain(
      'license files: 0 issued (0 bytes); 6 version(s) not issued: face text does not fit',
    );
    expect(text.stdout).toContain(`  ${licenseId(17)} version 1: ${PREMISES_BOX}\n`);
    expect(text.stdout).not.toContain('长江中路海韵广场东北角');
  });
});
