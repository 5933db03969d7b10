/**
 * A usage error that quotes the value a user gave an option shows it as every other option's
 * refusal shows it (core/terminal-text.ts terminalLine): its controls dropped whole and its
 * whitespace as one space, on the error's own line. These quoted the value as given and relied on
 * the error printer alone, which shows a carriage return as a space (`1 x` for `1<ESC>[2K<CR>x`),
 * where the others' messages name the value as `1x`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';

const VALUE = '1\u001b[2K\rx\nlicbridge: done';
const SHOWN = '`1x licbridge: done`';

let dir: string;
let config: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'licbridge-usage-line-'));
  config = join(dir, 'licbridge.yaml');
  await writeFile(
    config,
    'ledger: { url: "sqlite://./ledger.db" }\ncatalog: ./catalog\nsources: {}\npipelines: {}\nsigners: {}\ntargets: {}\n',
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const CASES: [string, string[]][] = [
  ['reconcile --allow-mass', ['reconcile', '--allow-mass', VALUE]],
  ['reconcile --lang', ['reconcile', '--lang', VALUE]],
  ['quarantine list --lang', ['quarantine', 'list', '--lang', VALUE]],
  ['worker --lock-duration', ['worker', '--lock-duration', VALUE]],
  ['worker --shutdown-timeout', ['worker', '--shutdown-timeout', VALUE]],
  ['worker --stages', ['worker', '--stages', VALUE]],
  ['worker --queues', ['worker', '--queues', VALUE]],
  ['status --today', ['status', '--today', VALUE]],
  ['objection list --today', ['objection', 'list', '--today', VALUE]],
  ['lifecycle run --today', ['lifecycle', 'run', '--today', VALUE]],
  ['lifecycle reminders --today', ['lifecycle', 'reminders', '--today', VALUE]],
];

describe('usage errors quoting an option value', () => {
  it.each(CASES)('%s: the value on the error line, with no line break or escape', async (_, args) => {
    const r = await licbridge([...args, '-c', config], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).not.toContain('\u001b');
    expect(r.stderr).not.toContain('\r');
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(SHOWN);
    expect(lines[0]).toMatch(/\[LB_USAGE\]$/);
  });
});
