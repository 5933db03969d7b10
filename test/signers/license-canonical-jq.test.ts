/**
 * docs/signatures.md's step 1, `jq -cjS .`, as a third party runs it on a stored license: the
 * bytes licbridge signs, Chinese keys and text, tabs and line breaks and numbers such as an area
 * or a capital included; and the case the page warns about, a number below 0.0001, which jq 1.6
 * writes with an exponent (1e-05, 1.5e-07) where RFC 8785 writes 0.00001 and 1.5e-7.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { canonicalBytes } from '../../catalog/canonical.js';
import type { License } from '../../catalog/license.js';
import { candidate } from '../ledger/fixtures.js';

const jq = spawnSync('jq', ['--version'], { encoding: 'utf8' });
const jqVersion = jq.status === 0 ? jq.stdout.trim() : null;

/** The license as stored (JSON text), through the page's command. */
function jqCanonical(license: License): Buffer {
  const res = spawnSync('jq', ['-cjS', '.'], { input: JSON.stringify(license, null, 2) });
  expect(res.status).toBe(0);
  return res.stdout;
}

function withSurface(surface: Record<string, unknown>): License {
  const license = candidate({ n: 7, content: '热食类食品制售' }).build(1);
  return { ...license, surface: { ...license.surface, ...surface } };
}

// jq is installed where the suite runs (.ci/run installs it): a test that skipped itself when the
// command could not be started went green having checked nothing.
describe('jq -cjS as docs/signatures.md gives it', () => {
  it('is installed', () => {
    expect(jq.error?.message ?? jq.stderr, 'jq is needed: apt-get install jq').toBe('');
    expect(jqVersion).toMatch(/^jq-1\./);
  });

  it('gives the signed bytes of a license with text, Chinese keys and ordinary numbers', () => {
    const license = withSurface({
      经营面积: 120.5,
      capital: 50,
      employees: 1200,
      ratio: 0.25,
      remark: '第一行\n第二行\t制表',
      quote: '"引号" \\ 反斜杠',
    });
    expect(jqCanonical(license).equals(Buffer.from(canonicalBytes(license)))).toBe(true);
  });

  it('writes a number below 0.0001 as RFC 8785 does, where jq 1.6 writes it otherwise, as the page warns', () => {
    for (const [value, text] of [
      [0.00001, '0.00001'],
      [1.5e-7, '1.5e-7'],
    ] as const) {
      const license = withSurface({ ratio: value });
      expect(Buffer.from(canonicalBytes(license)).toString('utf8')).toContain(`"ratio":${text}`);
      if (jqVersion === 'jq-1.6') {
        expect(jqCanonical(license).equals(Buffer.from(canonicalBytes(license)))).toBe(false);
      }
    }
  });
});
