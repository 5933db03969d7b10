// Each target kind keeps to its folder (docs/architecture.md, "Target folders"): a file in
// adapters/platforms/<kind>/ imports nothing from another kind's folder, and the code the kinds
// share (adapters/platforms/shared/, any platform folder without a kind.ts) imports no kind's
// folder. Target folders are found, not listed: a new kind is covered the day its folder exists.
// biome's noRestrictedImports matches the import text, not the file it names, so that rule would
// need a line per pair of kinds in biome.json; this scan resolves each import instead.

import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TARGET_KINDS } from '../../adapters/platforms/kinds.js';

// Required, not imported: an `import` of this CommonJS package first has Node scan its 9 MB for
// named exports (cjs-module-lexer), which doubled this file's CPU (~0.85 s against ~0.45 s).
const ts: typeof import('typescript') = createRequire(import.meta.url)('typescript');
const ROOT = join(import.meta.dirname, '..', '..');
const PLATFORMS = join(ROOT, 'adapters', 'platforms');

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (/\.ts$/.test(entry.name)) out.push(path);
  }
  return out;
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

interface Scan {
  targets: string[];
  files: number;
  /** `<file> → <import>` for every import that crosses into another kind's folder. */
  crossings: string[];
}

/** Every relative import (static, dynamic, type-only, re-export) of each platform folder's files. */
async function scanPlatforms(platforms: string): Promise<Scan> {
  const folders = (await readdir(platforms, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
  const targets: string[] = [];
  for (const f of folders) if (await exists(join(platforms, f, 'kind.ts'))) targets.push(f);
  const crossings: string[] = [];
  let files = 0;
  for (const folder of folders) {
    for (const file of await filesUnder(join(platforms, folder))) {
      files++;
      const text = await readFile(file, 'utf8');
      for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
        if (!fileName.startsWith('.')) continue;
        const into = relative(platforms, resolve(dirname(file), fileName)).split(sep)[0];
        if (into !== undefined && into !== folder && targets.includes(into)) {
          crossings.push(`${relative(platforms, file).split(sep).join('/')} → ${fileName}`);
        }
      }
    }
  }
  return { targets: targets.sort(), files, crossings };
}

describe('target folders', () => {
  it('no target kind imports another kind, and shared platform code imports none', async () => {
    const scan = await scanPlatforms(PLATFORMS);
    expect(scan.crossings).toEqual([]);
    // Not vacuous: every registered kind is a folder that was scanned.
    expect(scan.targets).toEqual(TARGET_KINDS.map((k) => k.kind).sort());
    expect(scan.files).toBeGreaterThan(20);
  });

  describe('the scan itself, on a scratch tree', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'licbridge-target-folders-'));
      const put = async (path: string, text: string) => {
        await mkdir(dirname(join(dir, path)), { recursive: true });
        await writeFile(join(dir, path), text);
      };
      await put('a/kind.ts', "export const kind = await import('./a-target.js');\n");
      await put(
        'a/a-target.ts',
        [
          "import { z } from '../b/b-target.js';",
          "import type { T } from '../b/deep/types.js';",
          "import { s } from '../shared/s.js';",
          "import { t } from '../target.js';",
          "import { e } from '../../../core/errors.js';",
          "// import { no } from '../b/commented.js';",
          'const text = "import \'../b/in-a-string.js\'";',
          'export const a = [z, s, t, e, text] as unknown as T;',
        ].join('\n'),
      );
      await put('b/kind.ts', "export const kind = () => import('../a/kind.js');\n");
      await put('b/b-target.ts', "export { s } from '../shared/s.js';\nexport const z = 1;\n");
      await put('b/deep/types.ts', 'export type T = unknown;\n');
      await put('shared/s.ts', "export { z as s } from '../b/b-target.js';\n");
      await put('shared/sub/u.ts', "import { a } from '../../a/a-target.js';\nexport const u = a;\n");
      await put('target.ts', 'export const t = 1;\n');
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('finds every crossing (static, type-only, dynamic, re-export, from shared) and nothing else', async () => {
      const scan = await scanPlatforms(dir);
      expect(scan.targets).toEqual(['a', 'b']);
      expect(scan.crossings.sort()).toEqual(
        [
          'a/a-target.ts → ../b/b-target.js',
          'a/a-target.ts → ../b/deep/types.js',
          'b/kind.ts → ../a/kind.js',
          'shared/s.ts → ../b/b-target.js',
          'shared/sub/u.ts → ../../a/a-target.js',
        ].sort(),
      );
    });
  });
});
