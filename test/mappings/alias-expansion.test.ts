/**
 * The YAML reader refuses aliases that expand past its limit (nine aliases of nine aliases of …
 * a few lines, millions of values) by throwing a bare ReferenceError: a mapping or mapping test
 * file so written failed with "Excessive alias count indicates a resource exhaustion attack",
 * naming no file, instead of a problem at the file's line as every other mistake in it is.
 */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { compileMapping, compileMappingText } from '../../mappings/compile.js';
import { parseMappingTestFile } from '../../mappings/mapping-test.js';

const ALIASES = (() => {
  let text = 'x0: &a0 [v, v, v, v, v, v, v, v, v]\n';
  for (let i = 1; i < 4; i++)
    text += `x${i}: &a${i} [${Array(9)
      .fill(`*a${i - 1}`)
      .join(', ')}]\n`;
  return text;
})();

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('aliases past the YAML reader limit are a located problem', () => {
  it('in a mapping file', () => {
    const e = thrown(() => compileMappingText(`${ALIASES}fields:\n  number: { from: A }\n`, '/maps/m.yaml'));
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).problems).toEqual([
      expect.objectContaining({
        file: '/maps/m.yaml',
        message: expect.stringMatching(/^aliases expand to too many values/),
      }),
    ]);
  });

  it('in a mapping file read from disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lb-alias-'));
    writeFileSync(join(dir, 'm.yaml'), `${ALIASES}fields:\n  number: { from: A }\n`);
    await expect(compileMapping(join(dir, 'm.yaml'))).rejects.toBeInstanceOf(ConfigError);
  });

  it('in a mapping test file', () => {
    const e = thrown(() => parseMappingTestFile(`${ALIASES}cases: []\n`, '/maps/m.test.yaml'));
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).problems[0]).toMatchObject({ file: '/maps/m.test.yaml' });
  });
});
