// Which pipelines `status` asks after license files for (the seal its line names:
// files-attention-seal-usable.test.ts).
import { describe, expect, it } from 'vitest';
import { owesFiles } from '../../pipelines/observability/files-attention.js';

const FOOD = { licenseType: '11370200MB12345674001' };

describe('files-missing: what is asked', () => {
  it('asks only with a file store configured and a face template for the pipeline’s type', () => {
    const faces = new Set([FOOD.licenseType]);
    expect(owesFiles({ licenseFiles: { store: '/srv/files', pageSize: 50 } }, FOOD, faces)).toBe(true);
    expect(owesFiles({ licenseFiles: { pageSize: 50 } }, FOOD, faces)).toBe(false);
    expect(owesFiles({}, FOOD, faces)).toBe(false);
    expect(owesFiles({ licenseFiles: { store: '/srv/files', pageSize: 50 } }, FOOD, new Set())).toBe(false);
    // A catalog that cannot be read: the store says files are wanted, and `sign files` says why not.
    expect(owesFiles({ licenseFiles: { store: '/srv/files', pageSize: 50 } }, FOOD, undefined)).toBe(true);
  });
});
