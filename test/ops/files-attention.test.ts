// Which pipelines `status` asks after license files for, and the seal its `sign files` line names.
import { describe, expect, it } from 'vitest';
import type { SealConfig } from '../../config/types.js';
import { owesFiles, sealFor } from '../../pipelines/observability/files-attention.js';

const seal = (signer: string, status: SealConfig['status'] = 'active'): SealConfig => ({
  file: '/seals/x.esl',
  signer,
  status,
});
const FOOD = { licenseType: '11370200MB12345674001' };

describe('files-missing: what is asked, and the command named', () => {
  it('asks only with a file store configured and a face template for the pipeline’s type', () => {
    const faces = new Set([FOOD.licenseType]);
    expect(owesFiles({ licenseFiles: { store: '/srv/files', pageSize: 50 } }, FOOD, faces)).toBe(true);
    expect(owesFiles({ licenseFiles: { pageSize: 50 } }, FOOD, faces)).toBe(false);
    expect(owesFiles({}, FOOD, faces)).toBe(false);
    expect(owesFiles({ licenseFiles: { store: '/srv/files', pageSize: 50 } }, FOOD, new Set())).toBe(false);
    // A catalog that cannot be read: the store says files are wanted, and `sign files` says why not.
    expect(owesFiles({ licenseFiles: { store: '/srv/files', pageSize: 50 } }, FOOD, undefined)).toBe(true);
  });

  it('names the one usable seal of the pipeline’s signer, else a placeholder', () => {
    expect(sealFor({ seals: { district: seal('d'), other: seal('o') } }, 'd')).toBe('district');
    expect(
      sealFor({ seals: { old: seal('d', 'revoked'), lost: seal('d', 'lost'), now: seal('d') } }, 'd'),
    ).toBe('now');
    expect(sealFor({ seals: { a: seal('d'), b: seal('d') } }, 'd')).toBe('<seal>');
    expect(sealFor({ seals: {} }, 'd')).toBe('<seal>');
  });
});
