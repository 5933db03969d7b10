// `licbridge sign files --seal S` without --pipeline seals only the pipelines of S's issuing unit:
// a license sealed with another unit's seal is a wrong document that cannot be taken back once
// delivered. A seal whose unit cannot be told is refused without --pipeline, naming the pipelines;
// a pipeline of another unit named with --pipeline is read, and its versions of that unit are left
// without a file and named, for a seal of their own unit.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { License } from '../../catalog/license.js';
import { createLogger } from '../../core/logger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { makeTempDir } from '../signers/helpers.js';
import { licbridge, ROOT } from '../support/cli.js';
import { commitLicenses, storedFoodLicense, upTo } from './fixtures.js';
import { type SealKit, sealKit } from './seal-kit.js';

const DISTRICT = '11370211MB12345672';
const COUNTY = '11370281MB1234568H';

/** A license of the county's bureau: the food license with the county as issuer, in its id too. */
function countyLicense(n: number): License {
  const l = storedFoodLicense(n);
  return {
    ...l,
    issuer: { name: '胶州市市场监督管理局', code: COUNTY },
    identifier: l.identifier.replace(DISTRICT, COUNTY),
  };
}

/**
 * Two pipelines of two issuing units: `district-food` signed by `district` (the kit's holder, whose
 * seal `district-seal` is) and `county-food` signed by `county`; `stamp-seal` is the same seal
 * signed through `stamp`, a signer no pipeline signs with.
 */
function twoUnitsConfig(kit: SealKit, ledgerUrl: string): string {
  const pipeline = (name: string, code: string, signer: string) => [
    `  ${name}:`,
    '    source: market-food',
    '    stream: { table: T, key: ID }',
    `    mapping: ${join(ROOT, 'examples/west-coast/mappings/food-business-license.yaml')}`,
    '    licenseType: 11370200MB12345674001',
    `    issuer: { name: 市场监督管理局, code: ${code} }`,
    `    signer: ${signer}`,
    '    targets: [province]',
  ];
  const signer = (name: string, keyPath: string, certPath: string) =>
    `  ${name}: { kind: local-sm2, keyFile: ${keyPath}, certificate: ${certPath}, sealId: ${name}, workers: 0 }`;
  return [
    `ledger: { url: "${ledgerUrl}" }`,
    `catalog: ${join(ROOT, 'examples/west-coast/catalog')}`,
    'log: { level: warn }',
    'sources: { market-food: { kind: sqlite, path: ./legacy.db } }',
    'pipelines:',
    ...pipeline('district-food', DISTRICT, 'district'),
    ...pipeline('county-food', COUNTY, 'county'),
    'targets: { province: { kind: rest-json, url: "http://127.0.0.1:9", auth: { scheme: none } } }',
    'signers:',
    signer('district', kit.holder.keyPath, kit.holder.certPath),
    signer('county', kit.maker.keyPath, kit.maker.certPath),
    signer('stamp', kit.holder.keyPath, kit.holder.certPath),
    'seals:',
    `  district-seal: { file: ${kit.sealFile}, signer: district }`,
    `  stamp-seal: { file: ${kit.sealFile}, signer: stamp }`,
    '',
  ].join('\n');
}

describe('sign files: a seal seals its own issuing unit’s licenses only', () => {
  let dir: string;
  let cleanup: () => void;
  let config: string;
  let ledgerUrl: string;

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    const kit = await sealKit(dir);
    ledgerUrl = `sqlite://${join(dir, 'ledger.db')}`;
    writeFileSync(join(dir, 'legacy.db'), '');
    config = join(dir, 'licbridge.yaml');
    writeFileSync(config, twoUnitsConfig(kit, ledgerUrl));
    const ledger = await openLedger(ledgerUrl, { logger: createLogger({ level: 'silent' }) });
    try {
      await ledger.migrate();
      const run = (pipeline: string) => ({ pipeline, runId: `seed-${pipeline}`, mode: 'full' as const });
      await commitLicenses(ledger, run('district-food'), upTo(3), storedFoodLicense);
      await commitLicenses(ledger, run('county-food'), [101, 102], countyLicense);
    } finally {
      await ledger.close();
    }
  });
  afterAll(() => cleanup());

  async function filedPipelines(): Promise<string[]> {
    const ledger = await openLedger(ledgerUrl, { logger: createLogger({ level: 'silent' }) });
    try {
      return (await ledger.licenseFiles.list({})).map((f) => f.pipeline);
    } finally {
      await ledger.close();
    }
  }

  it('without --pipeline, a seal whose unit cannot be told seals nothing and names the pipelines', async () => {
    const store = join(dir, 'untold');
    const r = await licbridge(['sign', 'files', '--seal', 'stamp-seal', '--store', store, '-c', config]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('seal stamp-seal: cannot tell which issuing unit it belongs to');
    expect(r.stderr).toContain(`district-food (${DISTRICT}), county-food (${COUNTY})`);
    expect(r.stderr).toContain('--pipeline');
    expect(await filedPipelines()).toEqual([]);
    expect(readdirSync(dir)).not.toContain('untold');
  });

  it("seals none of a named pipeline's versions of another unit, naming them and what to do", async () => {
    const store = join(dir, 'other-unit');
    const r = await licbridge([
      'sign',
      'files',
      '--seal',
      'district-seal',
      '--pipeline',
      'county-food',
      '--store',
      store,
      '-c',
      config,
    ]);
    expect(r.status, r.stderr).toBe(3);
    // The county's versions, of the pipeline's issuer as it still is: no change to speak of.
    expect(r.stdout).toContain(
      "no file for these 2 version(s): the issuing unit recorded with each is not the seal's, and a license is sealed with its own unit's seal only\n",
    );
    expect(r.stdout).toContain(
      `${countyLicense(101).identifier.slice(0, -6)} version 1 (pipeline county-food): issued by ${COUNTY}; the seal is of ${DISTRICT}\n`,
    );
    expect(r.stdout).not.toContain('changed since');
    expect(r.stdout).toContain('licbridge sign files --seal <a seal of that unit> --pipeline <pipeline>');
    expect(await filedPipelines()).toEqual([]);
  });

  it("without --pipeline, seals the seal's own unit's pipelines and leaves the other unit's", async () => {
    const store = join(dir, 'files');
    const r = await licbridge([
      'sign',
      'files',
      '--seal',
      'district-seal',
      '--store',
      store,
      '--json',
      '-c',
      config,
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ issued: 3 });
    expect(await filedPipelines()).toEqual(['district-food', 'district-food', 'district-food']);
  });

  it('with --pipeline, a seal whose unit cannot be told seals the pipeline named', async () => {
    const store = join(dir, 'files');
    const r = await licbridge([
      'sign',
      'files',
      '--seal',
      'stamp-seal',
      '--pipeline',
      'county-food',
      '--store',
      store,
      '--json',
      '-c',
      config,
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ issued: 2 });
    expect((await filedPipelines()).filter((p) => p === 'county-food')).toHaveLength(2);
  });
});
