/**
 * A platform publishing a license type whose name, or one of whose face field names, holds an
 * escape sequence: `catalog pull` writes the file for review (the YAML holds the characters
 * escaped), and loading it, as `catalog check` does before the file is moved into the catalog, now
 * refuses each such name at its file:line, as a hand-written entry is refused. It was accepted.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { usePullWorkspace } from './catalog-pull-workspace.js';

const CODE = '11370200MB12345674002';

const pull = usePullWorkspace((live) => {
  const surface = live.surface as { properties: Record<string, unknown>; required: string[] };
  const { premises, ...others } = surface.properties;
  return [
    {
      ...live,
      code: CODE,
      name: '食品\u001b]0;owned\u0007生产许可证',
      // No face template: the face's boxes name the demo's fields.
      face: undefined,
      surface: {
        ...surface,
        required: surface.required.map((f) => (f === 'premises' ? 'premi\u001b[2Jses' : f)),
        properties: { ...others, 'premi\u001b[2Jses': premises },
      },
    },
  ];
});

describe('catalog pull: a published name with an escape sequence', () => {
  it('is written for review and refused at its line when the pulled files are checked', async () => {
    const r = await licbridge(['catalog', 'pull', 'province', '--config', pull.ws.configFile, '--json'], {
      cwd: pull.ws.dir,
    });
    expect(r.status, r.stderr).toBe(0);
    const file = join(pull.ws.dir, 'catalog', 'pulled', 'province', `${CODE}.yaml`);
    expect((JSON.parse(r.stdout) as { written: string[] }).written).toEqual([file]);

    const check = await licbridge(['catalog', 'check', join(pull.ws.dir, 'catalog', 'pulled', 'province')], {
      cwd: pull.ws.dir,
    });
    expect(check.status).toBe(2);
    expect(check.stderr).toMatch(new RegExp(`${CODE}\\.yaml:\\d+:\\d+: name: license type name`));
    expect(check.stderr).toMatch(
      new RegExp(`${CODE}\\.yaml:\\d+:\\d+: surface\\.properties\\.premi.*face field name`),
    );
    expect(check.stderr).toContain('U+001B');
    expect(check.stderr).not.toContain('\u001b');
  });
});
