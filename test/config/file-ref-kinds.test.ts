// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveRefs } from '../../config/refs.js';

const dir = mkdtempSync(join(tmpdir(), 'licbridge-file-refs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ctx = { env: {}, baseDir: dir };

describe('${file:…} reads regular files only', () => {
  it('reads a regular file', () => {
    writeFileSync(join(dir, 'token'), 'tok-123\n');
    expect(resolveRefs('${file:./token}', ctx)).toMatchObject({ value: 'tok-123', problems: [] });
  });

  it('reads a regular file through a symlink', () => {
    writeFileSync(join(dir, 'real-token'), 'tok-456');
    symlinkSync(join(dir, 'real-token'), join(dir, 'linked-token'));
    expect(resolveRefs('${file:./linked-token}', ctx)).toMatchObject({ value: 'tok-456', problems: [] });
  });

  it('refuses a device at once instead of reading it forever (/dev/zero grew the process to gigabytes)', () => {
    const r = resolveRefs('${file:/dev/zero}', ctx);
    expect(r.problems).toEqual(['cannot read `${file:/dev/zero}` (/dev/zero): not a regular file']);
  });

  it('refuses a FIFO instead of waiting for a writer that never comes', () => {
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    const r = resolveRefs('${file:./fifo}', ctx);
    expect(r.problems).toEqual([
      `cannot read \`\${file:./fifo}\` (${join(dir, 'fifo')}): not a regular file`,
    ]);
  });

  it('refuses a folder', () => {
    expect(resolveRefs('${file:.}', ctx).problems).toEqual([
      `cannot read \`\${file:.}\` (${dir}): not a regular file`,
    ]);
  });
});
