/**
 * A pipeline's `areaCode` of six digits that is no division code (`000000`) passed `config check`,
 * whose schema checks six digits only, and then stopped `preview` and every `run` of the pipeline
 * (the license mapper refuses it, GB/T 2260). It is a problem at its line in `config check` too.
 */
import { describe, expect, it } from 'vitest';
import { usePrebuiltConfigValidator } from '../support/prebuilt-config-validator.js';
import { demoPipelineCheck } from './demo-pipeline-check.js';

await usePrebuiltConfigValidator();

const { problemsWith: check } = demoPipelineCheck('config-check-area-code-');

describe('config check: a pipeline area code', () => {
  it('names one that is no division code at its line', async () => {
    const problems = await check({ areaCode: '000000' });
    expect(problems).toEqual([
      expect.objectContaining({
        line: 12,
        path: 'pipelines.food-business-licenses.areaCode',
        message: expect.stringContaining('000000 is not a 6-digit division code'),
      }),
    ]);
  });

  it('passes a division code', async () => {
    expect(await check({ areaCode: '370211' })).toEqual([]);
  });
});
