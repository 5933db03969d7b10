// Fonts cut for a face picture are written to a fresh temporary folder; when writing them fails
// (a full disk), the folder is removed before the failure is passed on, and the face is then
// drawn with every font. Needs the Noto CJK fonts (fonts-noto-cjk), as the face picture tests do.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const failWrites = { on: false };
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    writeFile: async (...args: Parameters<typeof real.writeFile>) => {
      if (failWrites.on) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      return real.writeFile(...args);
    },
  };
});

const { subsetFontsFor } = await import('../../adapters/documents/picture/face-font-subset.js');

const TMP = mkdtempSync(join(tmpdir(), 'licbridge-face-tmp-test-'));
const before = process.env.TMPDIR;
afterAll(() => {
  if (before === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = before;
  rmSync(TMP, { recursive: true, force: true });
});

const RUNS = [{ fontFamily: "'Noto Serif CJK SC'", text: '食品经营许可证' }];

describe('the temporary folder of cut fonts', () => {
  it('is owner-only and holds the cut fonts until disposed, then is gone', async () => {
    process.env.TMPDIR = TMP;
    const subset = await subsetFontsFor(RUNS, [], 'Noto Serif CJK SC');
    expect(subset?.files).toHaveLength(1);
    expect(readdirSync(TMP)).toHaveLength(1);
    expect(statSync(join(TMP, readdirSync(TMP)[0] as string)).mode & 0o777).toBe(0o700);
    await subset?.dispose();
    expect(readdirSync(TMP)).toEqual([]);
  }, 60_000);

  it('is removed when a font cannot be written', async () => {
    process.env.TMPDIR = TMP;
    failWrites.on = true;
    try {
      await expect(subsetFontsFor(RUNS, [], 'Noto Serif CJK SC')).rejects.toThrow('no space left');
    } finally {
      failWrites.on = false;
    }
    expect(readdirSync(TMP)).toEqual([]);
  }, 60_000);
});
