// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${file:…}` is config reference syntax, not a template slip.
/**
 * `${file:…}` reads at most FILE_REF_MAX_BYTES: a reference to a log or a disk image was read
 * whole into memory. The problem stands at the reference's line and names the file, never what
 * the file holds.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatConfigError } from '../../config/loader.js';
import { FILE_REF_MAX_BYTES, resolveRefs } from '../../config/refs.js';
import { positionOf, problemsOf, VALID_CONFIG } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'licbridge-file-ref-size-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ctx = { env: {}, baseDir: dir };

describe('${file:…} past the size limit', () => {
  it('reads a file of exactly the limit', () => {
    writeFileSync(join(dir, 'bundle.pem'), 'a'.repeat(FILE_REF_MAX_BYTES));
    const r = resolveRefs('${file:./bundle.pem}', ctx);
    expect(r.problems).toEqual([]);
    expect(r.value).toHaveLength(FILE_REF_MAX_BYTES);
  });

  it('refuses one byte more, naming the reference and the file', () => {
    writeFileSync(join(dir, 'big.log'), `${'x'.repeat(FILE_REF_MAX_BYTES)}y`);
    expect(resolveRefs('${file:./big.log}', ctx).problems).toEqual([
      `cannot read \`\${file:./big.log}\` (${join(dir, 'big.log')}): larger than 1 MiB, more than any key, certificate chain or secret`,
    ]);
  });

  it('is a config problem at the reference line, quoting nothing the file holds', async () => {
    const secret = 'secret: "${env:LICBRIDGE_PROVINCE_SECRET:-demo-secret}"';
    const text = VALID_CONFIG.replace(secret, 'secret: "${file:./huge-secret}"');
    const content = `S3cr3t-${'q'.repeat(FILE_REF_MAX_BYTES)}`;
    const { error, problems } = await problemsOf(text, {}, { 'huge-secret': content });
    const problem = problems.find((p) => p.path === 'targets.province.auth.secret');
    expect(problem?.line).toBe(positionOf(text, '${file:./huge-secret}').line);
    expect(problem?.message).toMatch(/\$\{file:\.\/huge-secret\}` \(.*\/huge-secret\): larger than 1 MiB/);
    expect(formatConfigError(error)).not.toContain('S3cr3t');
  });
});
