/**
 * A config file saved with a byte order mark (as Windows editors save UTF-8): every problem on line 1
 * was placed one column to the right, since the YAML parser counts the mark and an editor shows no
 * character for it. Line 1's columns start after it, as for mapping and catalog files.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/loader.js';
import type { ConfigError } from '../../core/errors.js';
import { usePrebuiltConfigValidator } from '../support/prebuilt-config-validator.js';

function problemsOf(text: string): { line: number; column: number; message: string }[] {
  try {
    parseConfig(text, { file: '/srv/licbridge/licbridge.yaml', env: {} });
  } catch (e) {
    return (e as ConfigError).problems.map(({ line, column, message }) => ({ line, column, message }));
  }
  throw new Error('expected the config to be refused');
}

describe('a config file with a byte order mark', () => {
  it('places line 1 problems where an editor shows them', async () => {
    await usePrebuiltConfigValidator();
    const plain = problemsOf('ledgr: { url: "sqlite://./x.db" }\n');
    const marked = problemsOf('\uFEFFledgr: { url: "sqlite://./x.db" }\n');
    expect(plain.length).toBeGreaterThan(0);
    expect(marked).toEqual(plain);
    expect(marked.find((p) => p.message.includes('ledgr'))).toMatchObject({ line: 1, column: 1 });
  });

  it('leaves later lines as they were', async () => {
    await usePrebuiltConfigValidator();
    const text = 'catalog: ./catalog\nledger: { url: "sqlite://./x.db", bogus: 1 }\n';
    expect(problemsOf(`\uFEFF${text}`)).toEqual(problemsOf(text));
  });
});
