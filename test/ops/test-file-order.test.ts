/**
 * The order test files start in (test/support/long-files-first.ts): the longest first, whether
 * the duration comes from vitest's cache or, without one (after `npm ci`), from LONG_FILES; the
 * files of a project together; groups in their order. And vitest.config.ts gives vitest this
 * order, except to a command line that shuffles the files.
 */

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { TestSpecification, Vitest } from 'vitest/node';
import config from '../../vitest.config.js';
import { fileSequence, LONG_FILES, LongFilesFirst } from '../support/long-files-first.js';

const ROOT = '/repo';

interface Fake {
  project: string;
  file: string;
  groupOrder?: number;
  /** The cache's last duration, ms. */
  ms?: number;
  failed?: boolean;
  size?: number;
}

function sequencer(files: Fake[]) {
  const key = (f: Fake) => `${f.project}:${f.file}`;
  const byKey = new Map(files.map((f) => [key(f), f]));
  const ctx = {
    config: { root: ROOT },
    cache: {
      getFileTestResults: (k: string) => {
        const f = byKey.get(k);
        return f?.ms === undefined ? undefined : { duration: f.ms, failed: f.failed === true };
      },
      getFileStats: (k: string) => ({ size: byKey.get(k)?.size ?? 100 }),
    },
  } as unknown as Vitest;
  const specs = files.map(
    (f) =>
      ({
        moduleId: `${ROOT}/${f.file}`,
        project: { name: f.project, config: { sequence: { groupOrder: f.groupOrder ?? 1 } } },
      }) as unknown as TestSpecification,
  );
  return {
    order: async () =>
      (await new LongFilesFirst(ctx).sort(specs)).map(
        (s) => `${s.project.name}:${s.moduleId.slice(ROOT.length + 1)}`,
      ),
  };
}

describe('the order test files start in', () => {
  it('LONG_FILES names files there are, each in the project its name puts it in', () => {
    // A file renamed or moved would lose its place silently: its entry would match nothing.
    const repo = fileURLToPath(new URL('../../', import.meta.url));
    for (const key of Object.keys(LONG_FILES)) {
      const [project, file = ''] = key.split(':');
      const named = file.endsWith('.e2e.test.ts')
        ? 'e2e'
        : file.endsWith('.int.test.ts')
          ? 'integration'
          : 'unit';
      expect({ key, project, exists: existsSync(`${repo}${file}`) }).toEqual({
        key,
        project: named,
        exists: true,
      });
    }
  });

  it('without a cache, the files LONG_FILES names first, longest first, before larger unknown ones', async () => {
    const poison = 'test/pipelines/stall-slow-worker-poison.int.test.ts';
    const stall = 'test/pipelines/stall-slow-worker.int.test.ts';
    expect(LONG_FILES[`integration:${poison}`]).toBeGreaterThan(LONG_FILES[`integration:${stall}`] ?? 0);
    const order = await sequencer([
      { project: 'integration', file: 'test/a-big.int.test.ts', size: 90_000 },
      { project: 'integration', file: stall, size: 9000 },
      { project: 'integration', file: 'test/b-small.int.test.ts', size: 50 },
      { project: 'integration', file: poison, size: 5000 },
    ]).order();
    expect(order).toEqual([
      `integration:${poison}`,
      `integration:${stall}`,
      'integration:test/a-big.int.test.ts',
      'integration:test/b-small.int.test.ts',
    ]);
  });

  it('a duration in the cache wins over LONG_FILES, and ranks with the estimated files by time alone', async () => {
    const poison = 'test/pipelines/stall-slow-worker-poison.int.test.ts';
    const order = await sequencer([
      { project: 'integration', file: poison, ms: 2000 },
      { project: 'integration', file: 'test/pipelines/stall-slow-worker.int.test.ts' },
      { project: 'integration', file: 'test/slow-now.int.test.ts', ms: 90_000, size: 10 },
      { project: 'integration', file: 'test/new.int.test.ts', size: 99_999 },
    ]).order();
    expect(order).toEqual([
      'integration:test/slow-now.int.test.ts',
      'integration:test/pipelines/stall-slow-worker.int.test.ts',
      `integration:${poison}`,
      'integration:test/new.int.test.ts',
    ]);
  });

  it('keeps groups in order and each project together; a file that failed goes first in its project', async () => {
    const order = await sequencer([
      { project: 'integration', file: 'test/i1.int.test.ts', ms: 1000 },
      { project: 'unit', file: 'test/u1.test.ts', groupOrder: 0, ms: 10 },
      { project: 'e2e', file: 'test/e1.e2e.test.ts', ms: 500 },
      { project: 'integration', file: 'test/i2.int.test.ts', ms: 9000 },
      { project: 'integration', file: 'test/i3.int.test.ts', ms: 5, failed: true },
      { project: 'e2e', file: 'test/e2.e2e.test.ts', ms: 60_000 },
    ]).order();
    expect(order).toEqual([
      'unit:test/u1.test.ts',
      'e2e:test/e2.e2e.test.ts',
      'e2e:test/e1.e2e.test.ts',
      'integration:test/i3.int.test.ts',
      'integration:test/i2.int.test.ts',
      'integration:test/i1.int.test.ts',
    ]);
  });
});

describe('the sequence vitest.config.ts gives the files', () => {
  /** process.argv of `npx vitest …`: node, vitest's script, then the command line. */
  const argv = (...args: string[]) => ['node', '/repo/node_modules/vitest/vitest.mjs', ...args];

  it('is this order, in this run and in one that shuffles only the tests in each file', () => {
    expect(config.test?.sequence?.sequencer).toBe(LongFilesFirst);
    expect(fileSequence(argv('run'))).toEqual({ sequencer: LongFilesFirst });
    expect(fileSequence(argv('run', '--project', 'unit', '--sequence.shuffle.tests'))).toEqual({
      sequencer: LongFilesFirst,
    });
    expect(fileSequence(argv('run', '--sequence.shuffle.files=false'))).toEqual({
      sequencer: LongFilesFirst,
    });
  });

  it("is vitest's random order when the command line shuffles the files (docs/testing.md's check)", () => {
    // vitest takes its random order only when the config names no sequencer.
    expect(fileSequence(argv('run', '--project', 'integration', '--sequence.shuffle.files'))).toEqual({});
    expect(fileSequence(argv('run', '--sequence.shuffle'))).toEqual({});
    expect(fileSequence(argv('--sequence.shuffle.files', 'true', 'test/a.int.test.ts'))).toEqual({});
  });
});
