/**
 * A reason's message may quote the value a step or a broken transform choked on (a parser's error
 * quotes the text it could not read); the mapping masks an ID or mobile number in it, as in the
 * reason's value. A PRC passport or Hong Kong/Macao travel permit number so quoted went into the
 * quarantine reasons whole, though the reason's value and an error's text mask it by its shape. The
 * messages of a failing step, of a transform that throws and of the license stage now mask it too.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';
import { createLicenseMapper } from '../../mappings/license-mapper.js';
import { fail } from '../../mappings/step.js';
import { createTransformRegistry } from '../../mappings/transforms.js';
import type { CompiledMapping } from '../../mappings/types.js';
import { MAPPING, options, values } from './stall-mapping.js';

const eight = (): string => String(Math.floor(Math.random() * 9e7) + 1e7);
const PASSPORT = `E${eight()}`;
const PERMIT = `H${eight()}`;
const hidden = (n: string): string => n.slice(2, 7);

const transforms = createTransformRegistry();
transforms.register('parseJson', {
  argument: 'none',
  description: 'JSON text to its value',
  compile: () => (value) => {
    // As a parser's error quotes the text it could not read.
    throw new SyntaxError(`"${String(value)}" is not valid JSON`);
  },
});
transforms.register('checked', {
  argument: 'none',
  description: 'refuses the text, quoting it',
  compile: () => (value) => fail('LB_MAP_FORMAT', `\`${String(value)}\` is not a registered code`),
});

describe('a passport number quoted in a mapping message', () => {
  it('is masked in a failing step’s message and a throwing transform’s', () => {
    for (const transform of ['checked', 'parseJson']) {
      const mapping = compileMappingText(
        `fields:\n  surface.x: { from: X, transform: [${transform}] }\n`,
        'm.yaml',
        {
          transforms,
        },
      );
      const r = mapping.map({ X: `护照${PASSPORT} 通行证${PERMIT}` });
      if (r.ok) throw new Error('expected the row to fail');
      const text = JSON.stringify(r.reasons);
      expect(text, transform).toContain('护照E');
      expect(text, transform).not.toContain(hidden(PASSPORT));
      expect(text, transform).not.toContain(hidden(PERMIT));
    }
  });

  it('is masked in the license stage’s internal error', () => {
    const failing: CompiledMapping = {
      ...MAPPING,
      map: () => {
        throw new Error(`no holder for passport ${PASSPORT}`);
      },
    };
    const r = createLicenseMapper(options({ mapping: failing }))({ key: 's-1', values: values() }, 'r');
    if (r.ok) throw new Error('expected the row to fail');
    expect(r.reasons.map((x) => x.code)).toEqual(['LB_INTERNAL']);
    expect(JSON.stringify(r.reasons)).not.toContain(hidden(PASSPORT));
  });
});
