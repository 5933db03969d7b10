/**
 * `config check` names a mapped face field the catalog entry does not have. It looked each path
 * segment up in the schema's properties by plain index, so a name every object inherits
 * (`toString`, `valueOf`, `hasOwnProperty`) found Object.prototype's function, read it as a field,
 * and the check passed; the first run then refused every row at the entry's schema.
 */
import { describe, expect, it } from 'vitest';
import { usePrebuiltConfigValidator } from '../support/prebuilt-config-validator.js';
import { demoPipelineCheck } from './demo-pipeline-check.js';

await usePrebuiltConfigValidator();

const { problemsWith: check } = demoPipelineCheck('config-check-inherited-');

describe('config check: a mapped field named as an inherited property', () => {
  it('is named as not a field of the license type', async () => {
    for (const field of ['surface.toString', 'surface.valueOf', 'surface.hasOwnProperty']) {
      const messages = (
        await check({
          mapping: (demo) =>
            demo.replace('  surface.premises:', `  ${field}: { from: JYCS }\n  surface.premises:`),
        })
      ).map((p) => p.message);
      expect(messages.join('; '), field).toContain(`\`${field}\` is not a field of license type`);
    }
  });
});
