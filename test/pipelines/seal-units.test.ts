// Whose seal a seal is, and which pipelines' licenses it may seal (pipelines/seal-units.ts).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DescribedSigner, Signer } from '../../adapters/signers/signer.js';
import type { PipelineConfig } from '../../config/types.js';
import {
  certificateUnitCode,
  pipelinesForSeal,
  sealCodeFor,
  sealsVersion,
  sealUnit,
  signerUnitCode,
  versionUnit,
} from '../../pipelines/seal-units.js';
import { makeTempDir } from '../signers/helpers.js';

const DISTRICT = '11370211MB12345672';
const COUNTY = '11370281MB1234568H';

const pipe = (code: string, signer: string) => ({ issuer: { name: 'unit', code }, signer }) as PipelineConfig;
const config = {
  pipelines: {
    food: pipe(DISTRICT, 'district'),
    drugs: pipe(DISTRICT.toLowerCase(), 'district-drugs'),
    county: pipe(COUNTY, 'county'),
  },
};

describe('seal units', () => {
  let dir: string;
  let cleanup: () => void;
  /** A self-signed SM2 certificate of subject `subj`. */
  const cert = (name: string, subj: string): string => {
    const key = join(dir, `${name}.key.pem`);
    const out = join(dir, `${name}.cert.pem`);
    execFileSync('openssl', [
      'genpkey',
      '-algorithm',
      'EC',
      '-pkeyopt',
      'ec_paramgen_curve:SM2',
      '-out',
      key,
    ]);
    execFileSync('openssl', [
      'req',
      '-x509',
      '-new',
      '-key',
      key,
      '-sm3',
      '-utf8',
      '-subj',
      subj,
      '-days',
      '2',
      '-out',
      out,
    ]);
    return readFileSync(out, 'utf8');
  };
  let stating: string;
  let silent: string;
  let notACode: string;

  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    stating = cert(
      'stating',
      `/C=CN/O=青岛西海岸新区市场监督管理局/OU=s/CN=青岛西海岸新区市场监督管理局/serialNumber=${DISTRICT}`,
    );
    silent = cert('silent', '/CN=West Coast Market Supervision Bureau');
    notACode = cert('serial', '/CN=x/serialNumber=12345');
  });
  afterAll(() => cleanup());

  it('reads the credit code a certificate states in its subject serialNumber, a valid one only', () => {
    expect(certificateUnitCode(stating)).toBe(DISTRICT);
    expect(certificateUnitCode(silent)).toBeNull();
    expect(certificateUnitCode(notACode)).toBeNull();
    expect(certificateUnitCode('not a certificate')).toBeNull();
  });

  it("takes the certificate's code first, else the one issuer of the pipelines its signer signs for", () => {
    expect(sealUnit(config, 'county', stating)?.code).toBe(DISTRICT);
    expect(sealUnit(config, 'county', silent)?.code).toBe(COUNTY);
    expect(sealUnit(config, 'stamp', silent)).toBeNull();
    const shared = { pipelines: { ...config.pipelines, other: pipe(COUNTY, 'district') } };
    expect(sealUnit(shared, 'district', silent)).toBeNull();
  });

  it('without --pipeline, seals the pipelines of its unit (codes compared in upper case)', () => {
    const unit = { code: DISTRICT, from: 'x' };
    expect(pipelinesForSeal(config, 's', unit, undefined, 'sign files')).toEqual(['food', 'drugs']);
    expect(() =>
      pipelinesForSeal(config, 's', { code: '91370211MA3C4XYZ0B', from: 'x' }, undefined, 'sign files'),
    ).toThrow(
      /seal s: belongs to the issuing unit 91370211MA3C4XYZ0B, as x says, and no pipeline's licenses are issued by it \(pipelines: food \(11370211MB12345672\)/,
    );
    // A merged unit's seal: its older licenses are still in a pipeline now issued by another unit.
    expect(() =>
      pipelinesForSeal(config, 's', { code: '91370211MA3C4XYZ0B', from: 'x' }, undefined, 'sign files'),
    ).toThrow(
      /; to seal the versions a pipeline wrote while 91370211MA3C4XYZ0B issued them \(units merged, a code corrected\), name that pipeline: `licbridge sign files --seal s --pipeline <pipeline>`, which seals only those$/,
    );
    expect(() =>
      pipelinesForSeal(config, 's', { code: '91370211MA3C4XYZ0B', from: 'x' }, undefined, 'sign backfill'),
    ).toThrow('`licbridge sign backfill --files --seal s --pipeline <pipeline>`');
    expect(() => pipelinesForSeal(config, 's', null, undefined, 'sign files')).toThrow(
      /sign files: seal s: cannot tell which issuing unit .*--pipeline \(pipelines: food \(11370211MB12345672\), drugs \(11370211mb12345672\), county \(11370281MB1234568H\)\)/,
    );
  });

  it('with --pipeline, reads the pipeline named, of its unit, of another or with the unit untold', () => {
    const unit = { code: DISTRICT, from: 'x' };
    expect(pipelinesForSeal(config, 's', unit, 'drugs', 'sign files')).toEqual(['drugs']);
    expect(pipelinesForSeal(config, 's', null, 'county', 'sign files')).toEqual(['county']);
    // Its versions written for the seal's unit are sealed, no other (versionUnit below).
    expect(pipelinesForSeal(config, 's', unit, 'county', 'sign backfill')).toEqual(['county']);
  });

  it("judges a version by the unit recorded with it, not by its pipeline's issuer now", () => {
    const version = (issuer: string, idIssuer: string) => ({
      licenseId: `1.2.156.3005.2.11370200MB12345674001.${idIssuer}.S00000001`,
      payload: { issuer: { code: issuer } },
    });
    expect(versionUnit(version(DISTRICT, DISTRICT))).toEqual({ issuer: DISTRICT });
    expect(sealsVersion(DISTRICT, versionUnit(version(DISTRICT, DISTRICT)))).toBe(true);
    expect(sealsVersion(DISTRICT, versionUnit(version(` ${DISTRICT.toLowerCase()}`, DISTRICT)))).toBe(true);
    expect(sealsVersion(DISTRICT, versionUnit(version(COUNTY, COUNTY)))).toBe(false);
    // A payload and a license id that name two units: neither can be vouched for.
    expect(versionUnit(version(DISTRICT, COUNTY))).toEqual({ issuer: DISTRICT, identifierIssuer: COUNTY });
    expect(sealsVersion(DISTRICT, versionUnit(version(DISTRICT, COUNTY)))).toBe(false);
    expect(sealsVersion(COUNTY, versionUnit(version(DISTRICT, COUNTY)))).toBe(false);
  });

  it("seals, for a seal whose unit is untold, the versions of the named pipeline's issuer", () => {
    expect(sealCodeFor(config, null, 'county')).toBe(COUNTY);
    expect(sealCodeFor(config, null, 'drugs')).toBe(DISTRICT);
    expect(sealCodeFor(config, { code: DISTRICT, from: 'x' }, 'county')).toBe(DISTRICT);
  });

  it("tells a plain signer's unit by the same rule: its certificate's code, else its pipelines' one issuer, else the pipeline's", () => {
    // Only what the rule reads: the signer's name and, when it describes its key, its certificate.
    const described = (name: string, certificatePem: string | null) =>
      ({ name, keyInfo: () => ({ certificatePem }) }) as unknown as DescribedSigner;
    const bare = (name: string) => ({ name }) as unknown as Signer;
    expect(signerUnitCode(config, described('county', stating), 'county')).toBe(DISTRICT);
    expect(signerUnitCode(config, described('county', silent), 'county')).toBe(COUNTY);
    expect(signerUnitCode(config, described('county', null), 'county')).toBe(COUNTY);
    expect(signerUnitCode(config, bare('district'), 'food')).toBe(DISTRICT);
    // A signer signing for pipelines of two units, stating no code: the pipeline signed now.
    const shared = { pipelines: { ...config.pipelines, other: pipe(COUNTY, 'district') } };
    expect(signerUnitCode(shared, described('district', null), 'other')).toBe(COUNTY);
    expect(signerUnitCode(shared, described('district', null), 'food')).toBe(DISTRICT);
  });
});
