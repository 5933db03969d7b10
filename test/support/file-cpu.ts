/**
 * Setup file, first of each project when `LICBRIDGE_TEST_CPU_OUT` names a folder (vitest.config.ts):
 * writes a line per test file to `<folder>/<pid>.tsv` with the CPU its worker process spent (all
 * its threads, `process.cpuUsage`) and the wall time, in milliseconds: between the end of the
 * worker's previous file and this setup file (vitest's own work between files), from here to the
 * first test (the other setup files and loading the file with its imports), and the tests with
 * their hooks. On a machine shared with other jobs wall times say little; the CPU columns are what
 * to compare (docs/testing.md).
 */
import { appendFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';

const out = process.env.LICBRIDGE_TEST_CPU_OUT;

// On globalThis: this module, like every other, is evaluated again for each file.
const KEY = Symbol.for('licbridge.test.fileCpuLast');
const store = globalThis as { [KEY]?: { cpu: number; wall: number } };

const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

if (out) {
  const start = { cpu: cpuMs(), wall: performance.now() };
  const before = store[KEY];
  let loaded = start;
  beforeAll(() => {
    loaded = { cpu: cpuMs(), wall: performance.now() };
  });
  afterAll(() => {
    const end = { cpu: cpuMs(), wall: performance.now() };
    const file = relative(process.cwd(), expect.getState().testPath ?? '');
    const columns = [
      before ? start.cpu - before.cpu : 0,
      before ? start.wall - before.wall : 0,
      loaded.cpu - start.cpu,
      loaded.wall - start.wall,
      end.cpu - loaded.cpu,
      end.wall - loaded.wall,
    ];
    appendFileSync(
      join(out, `${process.pid}.tsv`),
      `${[file, ...columns.map((c) => c.toFixed(1))].join('\t')}\n`,
    );
    store[KEY] = end;
  });
}
