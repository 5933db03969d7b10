// A face whose text does not fit its template even at minSize is never sealed: the batch's other
// licenses are sealed in one signer call without it, a batch where none fits sends the signing
// key nothing, and `issueLicenseFiles` (all or nothing) refuses before signing, naming the box.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  issueFittingLicenseFiles,
  issueLicenseFiles,
} from '../../adapters/documents/ofd/issue-license-file.js';
import { verifyOfd } from '../../adapters/documents/ofd/ofd-verify.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { SealSigner } from '../../adapters/signers/ses/seal-signer.js';
import type { SignatureRecord } from '../../adapters/signers/signer.js';
import type { License } from '../../catalog/license.js';
import { makeTempDir } from '../signers/helpers.js';
import { foodLicense, foodTemplate } from './fixtures.js';
import { type SealKit, sealKit } from './seal-kit.js';

/** The seal holder's key, keeping the size of every batch it is handed (messages or digests). */
class BatchRecordingSigner extends LocalSm2Signer {
  batches: number[] = [];
  override async sign(messages: readonly Uint8Array[]): Promise<SignatureRecord[]> {
    this.batches.push(messages.length);
    return super.sign(messages);
  }
  override async signDigests(digests: readonly Uint8Array[]): Promise<SignatureRecord[]> {
    this.batches.push(digests.length);
    return super.signDigests(digests);
  }
}

const ADDRESS = `山东省青岛市黄岛区${'长江中路海韵广场东北角'.repeat(16)}`;

function tooLong(n: number): License {
  const l = foodLicense(n);
  return { ...l, surface: { ...l.surface, premises: ADDRESS } };
}

describe('issuing license files whose face does not fit', () => {
  let cleanup: () => void;
  let kit: SealKit;
  let key: BatchRecordingSigner;
  let seal: SealSigner;

  beforeAll(async () => {
    let dir: string;
    ({ dir, cleanup } = makeTempDir());
    kit = await sealKit(dir);
    key = new BatchRecordingSigner('district', kit.holder.config);
    seal = new SealSigner('district-seal', { file: kit.sealFile, signer: 'district', status: 'active' }, key);
    await seal.open();
  });
  afterAll(async () => {
    await seal.close();
    cleanup();
  });

  it('seals the others in one call and refuses the one that does not fit, naming its box', async () => {
    key.batches = [];
    const outcomes = await issueFittingLicenseFiles(
      [foodLicense(1), tooLong(2), foodLicense(3)].map((license) => ({ license, template: foodTemplate })),
      seal,
    );
    expect(key.batches).toEqual([2]);
    expect(outcomes[1]).toEqual({ overflows: ['texts[4] (surface.premises)'] });
    for (const o of [outcomes[0], outcomes[2]]) {
      expect(o?.overflows).toBeUndefined();
      expect(verifyOfd(o?.file as Buffer, kit.trust).ok).toBe(true);
    }
  });

  it('does not call the signer when no face of the batch fits', async () => {
    key.batches = [];
    const outcomes = await issueFittingLicenseFiles(
      [tooLong(4), tooLong(5)].map((license) => ({ license, template: foodTemplate })),
      seal,
    );
    expect(outcomes.map((o) => o.file)).toEqual([undefined, undefined]);
    expect(outcomes.map((o) => o.overflows)).toEqual([
      ['texts[4] (surface.premises)'],
      ['texts[4] (surface.premises)'],
    ]);
    expect(key.batches).toEqual([]);
  });

  it('issueLicenseFiles refuses the whole batch before signing, without the value', async () => {
    key.batches = [];
    const issuing = issueLicenseFiles(
      [foodLicense(6), tooLong(7)].map((license) => ({ license, template: foodTemplate })),
      seal,
    );
    await expect(issuing).rejects.toMatchObject({
      code: 'LB_LICENSE_INVALID',
      message:
        'license file: request 1: face text does not fit its box even at minSize: texts[4] (surface.premises)',
    });
    expect(key.batches).toEqual([]);
  });
});
