/**
 * A pipeline whose signer belongs to another issuing unit than the pipeline's issuer passed
 * `config check`, though the sign stage and `sign backfill` sign a version only with a signer of
 * its own unit (pipelines/seal-units.ts): every version of that pipeline was then left unsigned,
 * undelivered and queued again by each sweep. config check now reports it at the pipeline's
 * `signer`, naming the signer and both credit codes, when the signer's certificate file states a
 * unit, or, for a signing server's certificate it cannot read, when a seal of that signer lists
 * holder certificates of one unit.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawRoundSeal } from '../../adapters/documents/png-writer.js';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { parseConfig } from '../../config/loader.js';
import { checkConfigFiles } from '../../pipelines/config-check.js';
import { openedSigner, type Party, party, writeSeal } from '../seal/pki.js';
import { makeTempDir, selfSignedCertificate } from '../signers/helpers.js';
import { usePrebuiltConfigValidator } from '../support/prebuilt-config-validator.js';

await usePrebuiltConfigValidator();

const DEMO = join(import.meta.dirname, '..', '..', 'examples', 'west-coast');
const DISTRICT = '11370211MB12345672';
const COUNTY = '11370281MB1234568H';

let dir: string;
let cleanup: () => void;
/** A party whose certificate states `code` in its subject serialNumber (none when null). */
function unitParty(name: string, code: string | null): Party {
  const keyPath = join(dir, `${name}.key.pem`);
  const certPath = join(dir, `${name}.cert.pem`);
  writeFileSync(keyPath, generateSm2KeyPair().privateKeyPem, { mode: 0o600 });
  const subject = code === null ? `/CN=${name}` : `/CN=${name}/serialNumber=${code}`;
  selfSignedCertificate(dir, { key: keyPath, subject, out: certPath });
  return {
    keyPath,
    certPath,
    config: {
      kind: 'local-sm2',
      keyFile: keyPath,
      certificate: certPath,
      sealId: name,
      distId: '1234567812345678',
      workers: 0,
    },
  };
}

let county: Party;
let district: Party;
let silent: Party;
let countySeal: string;

beforeAll(async () => {
  ({ dir, cleanup } = makeTempDir());
  county = unitParty('county', COUNTY);
  district = unitParty('district', DISTRICT);
  silent = unitParty('silent', null);
  const maker = party(dir, 'maker', 'West Coast Seal Administration');
  countySeal = await writeSeal(join(dir, 'county.esl'), await openedSigner('maker', maker), county, {
    image: drawRoundSeal(60),
    name: 'county seal',
    esId: '37028100000001',
    type: 2,
    widthMm: 40,
    heightMm: 40,
  });
});
afterAll(() => cleanup());

/** The demo's pipeline, of the district's unit, signed by `signerLine`'s signer `seal`, plus `extra`. */
async function problemsWith(name: string, signerLine: string, extra: string[] = []) {
  const file = join(dir, `${name}.yaml`);
  const text = [
    'ledger: { url: "sqlite://./ledger.db" }',
    `catalog: ${join(DEMO, 'catalog')}`,
    'sources:',
    '  market-food: { kind: sqlite, path: ./legacy.db }',
    'pipelines:',
    '  food-business-licenses:',
    '    source: market-food',
    '    stream: { table: T_SPXK_XKZ, key: ID, cursor: GXSJ }',
    `    mapping: ${join(DEMO, 'mappings', 'food-business-license.yaml')}`,
    '    licenseType: 11370200MB12345674001',
    `    issuer: { name: 青岛西海岸新区市场监督管理局, code: ${DISTRICT} }`,
    '    signer: seal',
    '    targets: [province]',
    'signers:',
    `  seal: ${signerLine}`,
    ...extra,
    'targets:',
    '  province: { kind: rest-json, url: "http://127.0.0.1:9", auth: { scheme: none } }',
    '',
  ].join('\n');
  writeFileSync(file, text);
  const problems = await checkConfigFiles(parseConfig(text, { file, env: {} }) as never);
  return problems.filter((p) => p.path === 'pipelines.food-business-licenses.signer');
}

const local = (p: Party) =>
  `{ kind: local-sm2, keyFile: ${p.keyPath}, certificate: ${p.certPath}, sealId: "3702110000001", workers: 0 }`;
const REMOTE = '{ kind: remote, url: "http://127.0.0.1:9", sealId: "3702110000001", auth: { scheme: none } }';

describe('config check: a pipeline signer of another issuing unit', () => {
  it("reports a signer whose certificate states another unit than the pipeline's issuer, at the pipeline's signer", async () => {
    const problems = await problemsWith('other-unit', local(county));
    expect(problems).toEqual([
      {
        file: join(dir, 'other-unit.yaml'),
        line: 12,
        column: 13,
        path: 'pipelines.food-business-licenses.signer',
        message: `signer seal belongs to the issuing unit ${COUNTY}, as its certificate ${county.certPath} states (subject serialNumber), and pipeline food-business-licenses's licenses are issued by ${DISTRICT} (issuer.code): a license is signed only by a signer of its own issuing unit, so every version of this pipeline would be left unsigned and undelivered, queued again by each sweep; name a signer of ${DISTRICT} here, or correct issuer.code`,
      },
    ]);
  });

  it("passes a signer of the pipeline's unit, and one whose certificate states no unit", async () => {
    expect(await problemsWith('own-unit', local(district))).toEqual([]);
    expect(await problemsWith('silent', local(silent))).toEqual([]);
  });

  it("reports a signing server's signer whose seal lists holder certificates of another unit", async () => {
    const seals = ['seals:', `  county-seal: { file: ${countySeal}, signer: seal }`];
    const problems = await problemsWith('remote-seal', REMOTE, seals);
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [
        12,
        `signer seal belongs to the issuing unit ${COUNTY}, as the holder certificates seal county-seal (${countySeal}) lists state (subject serialNumber; the signer's own certificate is its signing server's, which config check does not ask for), and pipeline food-business-licenses's licenses are issued by ${DISTRICT} (issuer.code): a license is signed only by a signer of its own issuing unit, so every version of this pipeline would be left unsigned and undelivered, queued again by each sweep; name a signer of ${DISTRICT} here, or correct issuer.code`,
      ],
    ]);
    // Without a seal, a signing server's certificate is not read: nothing to judge.
    expect(await problemsWith('remote', REMOTE)).toEqual([]);
  });
});
