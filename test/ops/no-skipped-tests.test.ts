/**
 * Every test defined runs: a case marked skip, todo, only, or runIf/skipIf on a condition is
 * reported by vitest as skipped (or hides the others) and guards nothing while the suite passes.
 * A case that belongs to one backend is defined for that backend only (`if (backend.name === …)`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const MARKED = /\b(?:it|test|describe|suite)(?:\.each\([^)]*\))?\.(?:skip|todo|only|runIf|skipIf)\b/;

function testSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testSources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('the test files', () => {
  it('mark no case to be skipped, left to do, run alone, or run on a condition', () => {
    const root = join(import.meta.dirname, '..');
    const own = import.meta.filename;
    const marked = testSources(root)
      .filter((file) => file !== own)
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .flatMap((line, i) =>
            MARKED.test(line) ? [`${relative(root, file)}:${i + 1}: ${line.trim()}`] : [],
          ),
      );
    expect(marked).toEqual([]);
  });

  it('would find each kind of mark', () => {
    for (const line of [
      "it.skip('x', () => {});",
      "it.runIf(backend.name === 'postgres')(",
      "describe.skipIf(process.env.CI)('x', () => {});",
      "test.todo('x');",
      "it.only('x', () => {});",
    ]) {
      expect(MARKED.test(line), line).toBe(true);
    }
    expect(MARKED.test("it('skips a row', () => {});")).toBe(false);
  });
});
