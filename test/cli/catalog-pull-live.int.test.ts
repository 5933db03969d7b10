/**
 * `catalog pull --out` never writes into the live catalog, as its help says: the folder the config
 * loads entries from is refused (exit 2, naming it), so a published type cannot replace a live
 * entry, or join it unreviewed, on the next run.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { usePullWorkspace } from './catalog-pull-workspace.js';

const LIVE_CODE = '11370200MB12345674001';

const pull = usePullWorkspace((live) => [{ ...live, code: LIVE_CODE, name: '食品经营许可证（省平台版）' }]);

describe('catalog pull --out and the live catalog', () => {
  it.each([['./catalog'], ['catalog/']])(
    'refuses --out %s, the live catalog, and writes nothing',
    async (out) => {
      const r = await licbridge(
        ['catalog', 'pull', 'province', '--out', out, '--config', pull.ws.configFile],
        {
          cwd: pull.ws.dir,
        },
      );
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(
        `catalog pull: --out \`${out}\` is the live catalog ${join(pull.ws.dir, 'catalog')}`,
      );
      expect(await readdir(join(pull.ws.dir, 'catalog'))).toEqual(['food-business-license.yaml']);
      expect(await readFile(join(pull.ws.dir, 'catalog', 'food-business-license.yaml'), 'utf8')).toBe(
        pull.liveText,
      );
    },
  );
});
