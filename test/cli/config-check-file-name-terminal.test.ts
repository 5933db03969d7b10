/**
 * `config check` printed `<file>: ok` with the config file's name as given (`--config`,
 * $LICBRIDGE_CONFIG): a name holding an escape sequence reached the terminal and was obeyed (an
 * OSC sequence set the window title), while every other line it prints goes through terminalSafe.
 * The name is now shown inert, on one line: the whole sequence dropped.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../signers/helpers.js';
import { licbridge } from '../support/cli.js';

describe('config check: a config file name with an escape sequence', () => {
  let dir: string;
  let cleanup: () => void;
  let file: string;

  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    mkdirSync(join(dir, 'catalog'));
    file = join(dir, 'dept\u001b]0;owned\u0007.yaml');
    writeFileSync(file, 'ledger: { url: "sqlite://./ledger.db" }\ncatalog: ./catalog\n');
  });
  afterAll(() => cleanup?.());

  it('is printed without it', async () => {
    const r = await licbridge(['config', 'check', file], { cwd: dir });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).not.toContain('\u0007');
    expect(r.stdout).toBe(
      `${join(dir, 'dept.yaml')}: ok (0 source(s), 0 pipeline(s), 0 signer(s), 0 target(s))\n`,
    );
  });
});
