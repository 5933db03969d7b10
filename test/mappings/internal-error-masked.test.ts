/**
 * A row that breaks the mapper (a registered transform that throws, a catalog check that throws)
 * is quarantined with the error's message: the message may quote the value it choked on
 * (`JSON.parse` quotes the text), so an ID or mobile number in it is masked, as in every other
 * reason (docs/mapping-language.md). It went into the quarantine reasons in clear.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';
import { createLicenseMapper } from '../../mappings/license-mapper.js';
import { createTransformRegistry } from '../../mappings/transforms.js';
import type { CompiledMapping } from '../../mappings/types.js';
import { MAPPING, options, values } from './stall-mapping.js';

const ID = '11010519491231002X';
const PHONE = '13912345678';

describe('an internal error quarantines the row without personal data', () => {
  it('LB_MAP_INTERNAL from a transform that throws with the value', () => {
    const transforms = createTransformRegistry();
    transforms.register('parseJson', {
      argument: 'none',
      description: 'JSON text to its value',
      compile: () => (value) => {
        // As a parser's error quotes the text it could not read.
        throw new SyntaxError(`"${String(value)}" is not valid JSON`);
      },
    });
    const mapping = compileMappingText(
      'fields:\n  surface.x: { from: X, transform: [parseJson] }\n',
      'm.yaml',
      {
        transforms,
      },
    );
    const r = mapping.map({ X: `${ID} ${PHONE}` });
    if (r.ok) throw new Error('expected the row to fail');
    expect(r.reasons.map((x) => x.code)).toEqual(['LB_MAP_INTERNAL']);
    const text = JSON.stringify(r.reasons);
    expect(text).not.toContain(ID);
    expect(text).not.toContain(PHONE);
    expect(text).toContain('mapping: ');
  });

  it('LB_INTERNAL from the license stage', () => {
    const failing: CompiledMapping = {
      ...MAPPING,
      map: () => {
        throw new Error(`no holder for ${ID}, call ${PHONE}`);
      },
    };
    const r = createLicenseMapper(options({ mapping: failing }))({ key: 's-1', values: values() }, 'r');
    if (r.ok) throw new Error('expected the row to fail');
    expect(r.reasons.map((x) => x.code)).toEqual(['LB_INTERNAL']);
    expect(r.reasons[0]?.message).toMatch(/^license mapper: no holder for /);
    expect(JSON.stringify(r.reasons)).not.toContain(ID);
    expect(JSON.stringify(r.reasons)).not.toContain(PHONE);
  });
});
