/**
 * A type the platform still lists but a pull skips (its entry lacks a `name` now) keeps the file an
 * earlier pull wrote, and that file is not named as not published: the entry's `incomplete` line
 * says why it was not written again. Named as withdrawn, a reviewer removed a type in force. Nor
 * are the files of another target's pull into the same folder, or a reviewer's own.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { pullCatalog } from '../../pipelines/catalog-pull.js';
import { usePullWorkspace } from './catalog-pull-workspace.js';

const PUBLISHED = '11370200MB12345674002';
const UNNAMED = '11370200MB12345674003';
const WITHDRAWN = '11370200MB12345674009';

const pull = usePullWorkspace((live) => [
  { ...live, code: PUBLISHED, name: '食品生产许可证' },
  { ...live, code: UNNAMED, name: undefined },
]);

it('names only the files its own earlier pulls wrote of types the platform no longer lists', async () => {
  const folder = join(pull.ws.dir, 'catalog', 'pulled', 'province');
  await mkdir(folder, { recursive: true });
  const earlier = (code: string) => `# Pulled from target \`province\` earlier.\ncode: ${code}\nname: 许可\n`;
  await writeFile(join(folder, `${UNNAMED}.yaml`), earlier(UNNAMED));
  await writeFile(join(folder, `${WITHDRAWN}.yaml`), earlier(WITHDRAWN));
  // Another target's pull into the same folder, and a reviewer's own file: no type this one withdrew.
  await writeFile(join(folder, 'city-type.yaml'), '# Pulled from target `city` earlier.\ncode: X\nname: Y\n');
  await writeFile(join(folder, 'notes.yaml'), 'todo: compare with the live entry\n');

  const config = await loadConfig({ file: pull.ws.configFile, env: {} });
  const out = await pullCatalog(config, 'province', undefined);
  expect(out.written).toEqual([join(folder, `${PUBLISHED}.yaml`)]);
  expect(out.incomplete).toEqual([`entry 2 (code ${UNNAMED}): no \`name\` text`]);
  expect(out.notPublished).toEqual([join(folder, `${WITHDRAWN}.yaml`)]);
  expect(await readFile(join(folder, `${UNNAMED}.yaml`), 'utf8')).toBe(earlier(UNNAMED));
}, 30_000);
