/**
 * A pipeline's `issuer.code` with a wrong GB 32100 check character (`11370211MB12345673` for the
 * demo issuer's `…672`) passed `config check`: the config's schema checks the alphabet only. The
 * first `run` or `preview` then failed on it, at the config's first line (`licbridge.yaml:1:1`).
 * config check now refuses it at the pipeline's `issuer.code`, naming the check character the first
 * 17 call for, as the catalog refuses a type code whose defining body's code is wrong.
 */
import { describe, expect, it } from 'vitest';
import { usePrebuiltConfigValidator } from '../support/prebuilt-config-validator.js';
import { demoPipelineCheck } from './demo-pipeline-check.js';

await usePrebuiltConfigValidator();

const { problemsWith: check, configFile } = demoPipelineCheck('config-check-issuer-');

describe('config check: the issuing unit’s credit code', () => {
  it('refuses a wrong check character at issuer.code, naming the right one', async () => {
    const problems = await check({ issuerCode: '11370211MB12345673' });
    expect(problems.filter((p) => p.path.includes('issuer'))).toEqual([
      {
        file: configFile(),
        line: 11,
        column: 43,
        path: 'pipelines.food-business-licenses.issuer.code',
        message:
          'issuer.code 11370211MB12345673 fails the GB 32100 check: the first 17 characters call for the check character 2 (11370211MB12345672)',
      },
    ]);
  });

  it('passes the demo issuer’s code', async () => {
    const problems = await check({ issuerCode: '11370211MB12345672' });
    expect(problems.filter((p) => p.path.includes('issuer'))).toEqual([]);
  });
});
