/**
 * A type an earlier pull wrote and the platform no longer publishes (withdrawn, or renumbered) is
 * left in the pulled folder — it may carry a reviewer's edits — but named as not published now,
 * where the pull listed only what it wrote: a reviewer moving the folder's files into the catalog,
 * or checking the folder with `catalog check`, took the withdrawn type for a published one.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { usePullWorkspace } from './catalog-pull-workspace.js';

const PUBLISHED = '11370200MB12345674002';
const WITHDRAWN = '11370200MB12345674009';

const pull = usePullWorkspace((live) => [{ ...live, code: PUBLISHED, name: '食品生产许可证' }]);

it('names the files of an earlier pull the platform no longer publishes, and keeps them', async () => {
  const folder = join(pull.ws.dir, 'catalog', 'pulled', 'province');
  await mkdir(folder, { recursive: true });
  const earlier = `# Pulled from target \`province\` earlier.\ncode: ${WITHDRAWN}\nname: 已撤销的许可\n`;
  await writeFile(join(folder, `${WITHDRAWN}.yaml`), earlier);

  const json = await licbridge(['catalog', 'pull', 'province', '--config', pull.ws.configFile, '--json'], {
    cwd: pull.ws.dir,
  });
  expect(json.status).toBe(0);
  const out = JSON.parse(json.stdout) as { written: string[]; notPublished: string[] };
  expect(out.written).toEqual([join(folder, `${PUBLISHED}.yaml`)]);
  expect(out.notPublished).toEqual([join(folder, `${WITHDRAWN}.yaml`)]);
  expect(await readFile(join(folder, `${WITHDRAWN}.yaml`), 'utf8')).toBe(earlier);

  const text = await licbridge(['catalog', 'pull', 'province', '--config', pull.ws.configFile], {
    cwd: pull.ws.dir,
  });
  expect(text.status).toBe(0);
  expect(text.stdout).toContain(
    `not published by province now, left from an earlier pull: ${join(folder, `${WITHDRAWN}.yaml`)}`,
  );
});
