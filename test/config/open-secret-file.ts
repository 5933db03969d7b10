/**
 * A folder for the tests of `config check`'s warning about secret files others can read: a config
 * file's path in it (never written: the config text is handed over as a string) and `open`, which
 * writes a file beside it readable by group and others (0644). Removed after the test file.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export interface OpenSecretFiles {
  /** The config file the warnings name (`${file}:line:`). */
  readonly file: string;
  /** Writes `content` to `name` beside the config, mode 0644; returns its path. */
  open(name: string, content: string): string;
}

export function openSecretFilesDir(prefix: string): OpenSecretFiles {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    file: join(dir, 'licbridge.yaml'),
    open(name, content) {
      const path = join(dir, name);
      writeFileSync(path, content);
      chmodSync(path, 0o644);
      return path;
    },
  };
}
