import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../catalog/catalog.js';
import { ConfigError } from '../../core/errors.js';
import { demoEntryText } from './fixtures.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('a catalog entry saved as GBK', () => {
  it('is refused at its first damaged line, not loaded with U+FFFD in its type name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lb-catalog-gbk-'));
    dirs.push(dir);
    const text = await demoEntryText();
    expect(text).toContain('食品经营许可证');
    await writeFile(join(dir, 'food.yaml'), iconv.encode(text, 'gbk'));
    const error = await loadCatalog(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    const [problem, ...rest] = (error as ConfigError).problems;
    expect(rest).toEqual([]);
    const firstLine = text.split('\n').findIndex((l) => [...l].some((c) => c.charCodeAt(0) > 0x7f)) + 1;
    expect(problem).toMatchObject({ file: join(dir, 'food.yaml'), line: firstLine });
    expect(problem?.message).toMatch(/^not UTF-8 text/);
  });
});
