// Whose seal a seal is, and which pipelines' licenses it may seal (pipelines/seal-units.ts).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineConfig } from '../../config/types.js';
import { certificateUnitCode, pipelinesForSeal, sealUnit } from '../../pipelines/seal-units.js';
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
    expect(() => pipelinesForSeal(config, 's', null, undefined, 'sign files')).toThrow(
      /sign files: seal s: cannot tell which issuing unit .*--pipeline \(pipelines: food \(11370211MB12345672\), drugs \(11370211mb12345672\), county \(11370281MB1234568H\)\)/,
    );
  });

  it('with --pipeline, refuses a pipeline of another unit and seals one when the unit is untold', () => {
    const unit = { code: DISTRICT, from: 'x' };
    expect(pipelinesForSeal(config, 's', unit, 'drugs', 'sign files')).toEqual(['drugs']);
    expect(pipelinesForSeal(config, 's', null, 'county', 'sign files')).toEqual(['county']);
    expect(() => pipelinesForSeal(config, 's', unit, 'county', 'sign backfill')).toThrow(
      /sign backfill: seal s: belongs to the issuing unit 11370211MB12345672, as x says; pipeline county's licenses are issued by 11370281MB1234568H/,
    );
  });
});
