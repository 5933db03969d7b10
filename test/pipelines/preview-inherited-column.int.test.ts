/**
 * A mapping naming a column the row does not have is quarantined with the column named, and
 * preview shows no value for it. A column named like an object's own members (`constructor`,
 * `toString`) is no exception: looked up with `in` or plain indexing on a row's values it found
 * Object.prototype's function, shown as a column holding null.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { previewPipeline } from '../../pipelines/preview.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

describe('preview: a mapping naming a column the row lacks', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 3 });
  });
  afterAll(async () => ws?.cleanup());

  it.each(['NOSUCHCOL', 'constructor', 'toString'])(
    '%s: missing, in the source columns and the reasons',
    async (column) => {
      const file = join(ws.dir, 'mappings', 'food-business-license.yaml');
      const text = await readFile(file, 'utf8');
      await writeFile(
        file,
        text.replace(/surface\.premises: \{ from: \w+,/, `surface.premises: { from: ${column},`),
      );
      const config = await loadConfig({ file: ws.configFile, env: {} });
      for (const show of [false, true]) {
        const preview = await previewPipeline(config, 'food-business-licenses', {
          limit: 3,
          offset: 0,
          showPersonal: show,
        });
        expect(preview.rows.length).toBe(3);
        for (const row of preview.rows) {
          expect(row.failures).toEqual([
            {
              code: 'LB_MAP_COLUMN',
              message: `mapping: surface.premises: column ${column} is not in the row`,
              path: 'surface.premises',
              location: `${file}:25`,
              column,
            },
          ]);
          expect(Object.hasOwn(row.source, column), JSON.stringify(row.source[column])).toBe(false);
        }
      }
    },
  );
});
