/**
 * docs/getting-started.md prints what `npm run demo` prints: the counts in its excerpts are those
 * of the demo's own legacy table (generated as `licbridge demo` generates it) mapped through the
 * demo pipeline — no ledger, no queue, so the check costs seconds, not a whole run.
 */
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoPaths, prepareDemo } from '../../cli/commands/demo.js';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { Runtime } from '../../pipelines/runtime.js';
import { ROOT } from '../support/cli.js';

describe('the getting-started page', () => {
  it('quotes the counts the demo really prints', async () => {
    const root = await mkdtemp(join(tmpdir(), 'licbridge-gs-'));
    const example = join(ROOT, 'examples', 'west-coast');
    const paths = demoPaths(root);
    for (const part of ['licbridge.yaml', 'catalog', 'mappings']) {
      await cp(join(example, part), join(paths.dir, part), { recursive: true });
    }
    await prepareDemo(paths);
    const rt = new Runtime(
      await loadConfig({ file: paths.config, env: {} }),
      createLogger({ level: 'silent' }),
    );
    try {
      const [pipeline] = Object.keys(rt.config.pipelines);
      const parts = await rt.pipeline(pipeline as string);
      let read = 0;
      let ok = 0;
      for await (const page of parts.source.read({
        stream: parts.config.stream,
        after: null,
        pageSize: 1000,
      })) {
        for (const row of page.rows) {
          read++;
          if (!row.problems?.length && parts.mapper(row, 'docs').ok) ok++;
        }
      }
      const page = await readFile(join(ROOT, 'docs', 'getting-started.md'), 'utf8');
      expect(read).toBe(3000);
      expect(page).toContain(`read ${read} = created ${ok} + unchanged 0 + quarantined ${read - ok}`);
      expect(page).toContain(`delivered to province: ${ok}`);
      expect(page).toContain(`"quarantined": ${read - ok},`);
    } finally {
      await rt.close();
      await rm(root, { recursive: true, force: true });
    }
  }, 60_000);
});
