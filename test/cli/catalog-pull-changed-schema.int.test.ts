/**
 * A platform whose catalog changed shape: entries without a `code` or a `name` (renamed
 * `typeCode`, `typeName`) were left out without a word — "1 license type(s)", or "0 license
 * type(s)" and exit 0 when every entry changed, as if the platform published nothing new. Each
 * such entry is now named (its place in the list, what it lacks); when no entry is usable the pull
 * fails (exit 1) and the files of an earlier pull stay as they were.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { usePullWorkspace } from './catalog-pull-workspace.js';

const GOOD = '11370200MB12345674002';
const RENAMED = '11370200MB12345674003';

const pull = usePullWorkspace();

describe('catalog pull from a platform whose catalog changed shape', () => {
  const out = () => join(pull.ws.dir, 'review');

  it('names each entry it could not use, beside the ones it wrote', async () => {
    const config = await pull.platform([
      { code: GOOD, name: '食品生产许可证' },
      { code: RENAMED, typeName: '小餐饮经营许可证' },
      { typeCode: '11370200MB12345674004', typeName: '食品小作坊登记证' },
      { code: GOOD, name: '食品生产许可证（重复）' },
    ]);
    const r = await licbridge(['catalog', 'pull', 'province', '--out', out(), '--config', config, '--json'], {
      cwd: pull.ws.dir,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout) as { written: string[]; skipped: string[]; incomplete: string[] };
    expect(json.written).toEqual([join(out(), `${GOOD}.yaml`)]);
    expect(await readFile(join(out(), `${GOOD}.yaml`), 'utf8')).toContain('name: 食品生产许可证\n');
    expect(json.skipped).toEqual([]);
    expect(json.incomplete).toEqual([
      `entry 2 (code ${RENAMED}): no \`name\` text`,
      'entry 3: no `code` text, no `name` text',
      `entry 4 (code ${GOOD}): the code of entry 1 again`,
    ]);

    const text = await licbridge(['catalog', 'pull', 'province', '--out', out(), '--config', config], {
      cwd: pull.ws.dir,
    });
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(`skipped entry 2 (code ${RENAMED}): no \`name\` text`);
    expect(text.stdout).toContain('1 license type(s) from province; 3 entries skipped');
  });

  it('fails when no entry is usable, leaving the files of the earlier pull as they were', async () => {
    const before = await readFile(join(out(), `${GOOD}.yaml`), 'utf8');
    const config = await pull.platform([
      { typeCode: GOOD, typeName: '食品生产许可证' },
      { typeCode: RENAMED, typeName: '小餐饮经营许可证' },
    ]);
    const r = await licbridge(['catalog', 'pull', 'province', '--out', out(), '--config', config], {
      cwd: pull.ws.dir,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('target province: catalog from http://127.0.0.1:');
    expect(r.stderr).toContain(
      'none of its 2 entries has a `code` and a `name` (entry 1: no `code` text, no `name` text); nothing was written',
    );
    expect(await readdir(out())).toEqual([`${GOOD}.yaml`]);
    expect(await readFile(join(out(), `${GOOD}.yaml`), 'utf8')).toBe(before);
  });

  it('fails as well when the entries that have a code and a name have codes no file can be named by', async () => {
    const before = await readFile(join(out(), `${GOOD}.yaml`), 'utf8');
    // The platform moved to short codes, and renamed a field of another entry: nothing is usable.
    const config = await pull.platform([
      { code: 'T01', name: '食品生产许可证' },
      { code: RENAMED, typeName: '小餐饮经营许可证' },
    ]);
    const r = await licbridge(['catalog', 'pull', 'province', '--out', out(), '--config', config], {
      cwd: pull.ws.dir,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `none of its 2 entries is a usable license type (entry 1 (code T01): the code cannot name a file; entry 2 (code ${RENAMED}): no \`name\` text); nothing was written`,
    );
    expect(await readdir(out())).toEqual([`${GOOD}.yaml`]);
    expect(await readFile(join(out(), `${GOOD}.yaml`), 'utf8')).toBe(before);
  });

  it('names skipped entries in the order of the list', async () => {
    const config = await pull.platform([
      { code: GOOD, name: '食品生产许可证' },
      { code: GOOD, name: '食品生产许可证（重复）' },
      { code: RENAMED },
    ]);
    const r = await licbridge(['catalog', 'pull', 'province', '--out', out(), '--config', config, '--json'], {
      cwd: pull.ws.dir,
    });
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { incomplete: string[] }).incomplete).toEqual([
      `entry 2 (code ${GOOD}): the code of entry 1 again`,
      `entry 3 (code ${RENAMED}): no \`name\` text`,
    ]);
  });
});
