/**
 * The files-missing line of `licbridge status` names the seal to give `sign files --seal`. It
 * counted every seal of the pipeline's signer marked `active` in the config: with only an expired
 * one it named that seal, which `sign files` refuses; beside a seal not listing the signer's
 * certificate, a seal made but not yet filed, or one marked revoked, it still counted the one
 * `sign files` takes and showed `<seal>` when that was the only one usable. It now names only a
 * seal `sign files` accepts now, judged by the same checks it makes before signing.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { sealFor } from '../../pipelines/observability/files-attention.js';
import { type SealKit, sealKit } from '../documents/seal-kit.js';
import { makeTempDir } from '../signers/helpers.js';

const DAY = 86_400_000;
type SealsAndSigners = Pick<Config, 'seals' | 'signers'>;

describe('files-missing: the seal named is one `sign files` accepts', { timeout: 60_000 }, () => {
  const cleanups: (() => void)[] = [];
  let year: SealKit;
  let month: SealKit;
  let dir: string;

  beforeAll(async () => {
    const a = makeTempDir();
    const b = makeTempDir();
    cleanups.push(a.cleanup, b.cleanup);
    dir = a.dir;
    year = await sealKit(a.dir, 365);
    month = await sealKit(b.dir, 30);
  });
  afterAll(() => {
    for (const c of cleanups) c();
  });

  const signers = () => ({
    district: { ...year.holder.config, certificate: year.holder.certPath },
    county: { ...month.holder.config, certificate: month.holder.certPath },
  });

  it('names no seal when the only active one has expired', () => {
    const config = {
      signers: signers(),
      seals: { 'county-seal': { file: month.sealFile, signer: 'county', status: 'active' } },
    } as unknown as SealsAndSigners;
    expect(sealFor(config, 'county', new Date())).toBe('county-seal');
    expect(sealFor(config, 'county', new Date(Date.now() + 60 * DAY))).toBe('<seal>');
  });

  it('names the one usable seal beside seals `sign files` refuses', () => {
    const config = {
      signers: signers(),
      seals: {
        'district-seal': { file: year.sealFile, signer: 'district', status: 'active' },
        // Made for another certificate than the signer's, and ending within 30 days.
        'old-seal': { file: month.sealFile, signer: 'district', status: 'active' },
        'revoked-seal': { file: year.sealFile, signer: 'district', status: 'revoked' },
        'unmade-seal': { file: join(dir, 'none.esl'), signer: 'district', status: 'active' },
      },
    } as unknown as SealsAndSigners;
    expect(sealFor(config, 'district', new Date())).toBe('district-seal');
    expect(sealFor(config, 'district', new Date(Date.now() + 60 * DAY))).toBe('district-seal');
  });

  it('leaves the choice to the person between two usable seals', async () => {
    const second = await year.sizedSeal(join(dir, 'second.esl'), 40, 40, '37021100000002');
    const config = {
      signers: signers(),
      seals: {
        'district-seal': { file: year.sealFile, signer: 'district', status: 'active' },
        'second-seal': { file: second, signer: 'district', status: 'active' },
      },
    } as unknown as SealsAndSigners;
    expect(sealFor(config, 'district', new Date())).toBe('<seal>');
  });
});
