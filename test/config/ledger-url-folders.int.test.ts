/**
 * A relative `sqlite://` ledger lives in the config file's folder, whatever that folder is called:
 * the loader, the ledger, `config check --connect` and `status` read the URL one way
 * (core/sqlite-ledger-url.ts). The loader pasted the folder into the URL as spelt and the ledger
 * %-decoded it, so `dept%41` opened `deptA` and `100%` did not open at all, while the check and
 * status looked at the undecoded text; a `?query` became part of the file's name.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { ConfigError, ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { checkConnections } from '../../pipelines/config-check.js';
import { ledgerLocation } from '../../pipelines/observability/status-ledger.js';

const FOLDERS = ['dept%41', '100%', 'a#b', 'with space', '数据 目录', '%E4%B8%AD'];

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'licbridge-ledger-url-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const config = (url: string) => `ledger: { url: "${url}" }
queue: { redis: "redis://127.0.0.1:6379", prefix: ledger-url-${process.pid} }
catalog: ./catalog
sources: {}
pipelines: {}
signers: {}
targets: {}
`;

async function configIn(folder: string, url = 'sqlite://./data/ledger.db'): Promise<string> {
  const dir = join(root, folder);
  await mkdir(join(dir, 'data'), { recursive: true });
  const file = join(dir, 'licbridge.yaml');
  await writeFile(file, config(url));
  return file;
}

describe('a relative sqlite:// ledger in a folder whose name is no plain word', () => {
  it.each(FOLDERS)('%s: opened, checked and shown in that folder', async (folder) => {
    const file = await configIn(folder);
    const loaded = await loadConfig({ file });
    const expected = join(root, folder, 'data', 'ledger.db');

    const ledger = await openLedger(loaded.ledger.url);
    await ledger.close();
    expect(existsSync(expected)).toBe(true);
    // Nothing beside it: no `deptA`, no folder named after the decoded or encoded text.
    expect((await readdir(root)).filter((name) => !FOLDERS.includes(name))).toEqual([]);

    const problems = await checkConnections(loaded, 5000);
    expect(problems.filter((p) => p.path.startsWith('ledger'))).toEqual([]);
    expect(ledgerLocation(loaded.ledger.url)).toBe(`sqlite://${expected}`);
  });
});

describe('a query on a sqlite:// URL', () => {
  it('is refused at load, at its line, naming the field and the value', async () => {
    const file = await configIn('query', 'sqlite://./data/ledger.db?mode=ro');
    const error = await loadConfig({ file }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => [p.path, p.line, p.message])).toEqual([
      [
        'ledger.url',
        1,
        "expected `ledger.url` to name a SQLite file with no query (sqlite:// takes no options; a `?` in the file's name is written %3F), got `sqlite://./data/ledger.db?mode=ro`",
      ],
    ]);
  });

  it('is refused by the ledger, which creates no file', async () => {
    const dir = join(root, 'query-open');
    await mkdir(dir);
    const e = await openLedger(`sqlite://${dir}/ledger.db?mode=ro`).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(e).toBeInstanceOf(LicbridgeError);
    expect((e as LicbridgeError).code).toBe(ErrorCodes.CONFIG_INVALID);
    expect((e as LicbridgeError).message).toContain(
      'expected `ledger.url` to name a SQLite file with no query',
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it('a `?` in the file name is written %3F', async () => {
    const file = await configIn('q-name', 'sqlite://./data/what%3F.db');
    const loaded = await loadConfig({ file });
    const ledger = await openLedger(loaded.ledger.url);
    await ledger.close();
    expect(existsSync(join(root, 'q-name', 'data', 'what?.db'))).toBe(true);
  });

  it('a bare % in a written path is refused at load, saying to write %25', async () => {
    const file = await configIn('bare', `sqlite://${join(root, 'bare')}/100%/ledger.db`);
    const error = await loadConfig({ file }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    const [problem] = (error as ConfigError).problems;
    expect(problem?.path).toBe('ledger.url');
    expect(problem?.message).toContain("expected `ledger.url` to write a `%` in the file's path as %25");
  });
});
