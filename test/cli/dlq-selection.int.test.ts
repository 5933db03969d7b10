/**
 * `licbridge dlq replay|discard` act on what was asked, or on nothing. Named keys and `--target`
 * (or `--all`) are two ways of choosing; given together, the keys alone were taken and the other
 * silently dropped: `dlq discard K --target city` closed K, a province dead letter, for good.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
/** `X9` is not in GB/T 36903 annex A: the platform refuses every license, each a dead letter. */
const BROKEN_CODES = '    codes: { holderIdType: { "001": X9 } }\n';

let ws: DemoWorkspace;

async function cli(args: string[]) {
  return licbridge([...args, '--config', ws.configFile], { cwd: ws.dir });
}

async function deadKeys(): Promise<string[]> {
  const r = await cli(['dlq', 'list', '--json']);
  expect(r.status, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { key: string }[]).map((d) => d.key);
}

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 4, seed: 3 });
  await writeFile(ws.configFile, (await readFile(ws.configFile, 'utf8')) + BROKEN_CODES);
  const run = await cli(['run', PIPELINE]);
  expect(run.status, run.stderr).not.toBeNull();
}, 60_000);
afterAll(async () => {
  await ws?.cleanup();
});

describe('dlq replay and discard given keys and a whole-list selection at once', () => {
  it('refuse, exit 2, and leave every dead letter dead', async () => {
    const before = await deadKeys();
    expect(before.length).toBeGreaterThan(0);
    const key = before[0] as string;
    expect(key).toMatch(/:province$/);
    for (const args of [
      ['dlq', 'discard', key, '--target', 'city'],
      ['dlq', 'discard', key, '--target', 'province', '--all'],
      ['dlq', 'replay', key, '--target', 'city', '--no-wait'],
      ['dlq', 'replay', key, '--all', '--no-wait'],
    ]) {
      const r = await cli(args);
      expect(r.status, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(2);
      expect(r.stderr).toContain('name delivery keys, or');
      expect(r.stderr).toContain('not both');
    }
    expect(await deadKeys()).toEqual(before);
    expect(ws.simulator.stats().accepted).toBe(0);
  });
});

describe('dlq replay --no-wait', () => {
  it('says the replayed deliveries are queued, not that none was accepted', async () => {
    const [key, other] = await deadKeys();
    const text = await cli(['dlq', 'replay', key as string, '--no-wait']);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toBe(
      'replayed 1; queued, not waited for (--no-wait): a running licbridge worker or the next run delivers them\n',
    );
    const json = await cli(['dlq', 'replay', other as string, '--no-wait', '--json']);
    expect(json.status, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ replayed: 1, waited: false, notFinal: [] });
    expect(await deadKeys()).not.toContain(key);
  });
});
