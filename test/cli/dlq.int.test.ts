/**
 * `licbridge dlq` through the command line: a province target whose code-list override turns the
 * demo's holder id type into a code the platform refuses, so every license lands in the
 * dead-letter list with the platform's reason; the config is fixed, the dead letters replayed and
 * delivered once each, and the two left over are discarded, one by key and one with `--target --all`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const PIPELINE = 'food-business-licenses';
const REASON = 'czztdmlx: not a GB/T 36903 holder id type code';
/** The demo maps every holder to `001`; `X9` is not in GB/T 36903 annex A, so the platform refuses it. */
const BROKEN_CODES = '    codes: { holderIdType: { "001": X9 } }\n';

interface DeadLetterJson {
  key: string;
  state: string;
  target: string;
  pipeline: string;
  operation: string;
  reasons: string[];
}

let ws: DemoWorkspace;
let goodConfig: string;

async function cli(args: string[]) {
  const r = await licbridge([...args, '--config', ws.configFile], { cwd: ws.dir });
  return r;
}

async function listDead(extra: string[] = []): Promise<DeadLetterJson[]> {
  const r = await cli(['dlq', 'list', '--json', ...extra]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as DeadLetterJson[];
}

beforeAll(async () => {
  ws = await createDemoWorkspace({ rows: 24, seed: 5 });
  goodConfig = await readFile(ws.configFile, 'utf8');
  await writeFile(ws.configFile, goodConfig + BROKEN_CODES);
});
afterAll(async () => {
  await ws?.cleanup();
});

describe('licbridge dlq', () => {
  let dead: DeadLetterJson[] = [];

  it("lists every permanently rejected delivery with the platform's reason", async () => {
    const run = await cli(['run', PIPELINE]);
    expect(run.status, run.stderr).not.toBeNull();
    expect(ws.simulator.licenses()).toHaveLength(0);
    expect(ws.simulator.stats().rejected).toBeGreaterThan(0);

    dead = await listDead(['--target', 'province']);
    expect(dead.length).toBeGreaterThan(3);
    expect(dead.length).toBe(ws.simulator.stats().rejected);
    for (const d of dead) {
      expect(d).toMatchObject({ state: 'dead', target: 'province', pipeline: PIPELINE, reasons: [REASON] });
      expect(d.key).toMatch(/:1:province$/);
    }
    // A target neither the config nor any dead letter has is refused, not listed as clear.
    const other = await cli(['dlq', 'list', '--json', '--target', 'city']);
    expect(other.status).toBe(2);
    expect(other.stderr).toContain('unknown `--target` `city`');
  });

  it('shows one dead letter with its reasons, and refuses a key it does not hold', async () => {
    const key = dead[0]?.key as string;
    const r = await cli(['dlq', 'show', key, '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ key, state: 'dead', reasons: [REASON] });

    const text = await cli(['dlq', 'show', key]);
    expect(text.stdout).toContain(`key:       ${key}`);
    expect(text.stdout).toContain(`  - ${REASON}`);

    const missing = await cli(['dlq', 'show', 'no-such:1:province', '--json']);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('no dead or discarded delivery');
  });

  it('replays the named dead letters after the config is fixed and delivers each once', async () => {
    await writeFile(ws.configFile, goodConfig);
    const keys = dead.slice(2).map((d) => d.key);
    const r = await cli(['dlq', 'replay', ...keys, '--note', 'holder id type fixed', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      replayed: keys.length,
      waited: true,
      accepted: keys.length,
      dead: [],
      notFinal: [],
      skipped: [],
      notDead: [],
    });

    const held = ws.simulator.licenses().map((l) => l.key);
    expect(held.sort()).toEqual([...keys].sort());
    expect(ws.simulator.licenses().every((l) => l.license.czztdmlx === '001')).toBe(true);
    expect(ws.simulator.stats().duplicates).toBe(0);

    const left = await listDead();
    expect(left.map((d) => d.key).sort()).toEqual([dead[0]?.key, dead[1]?.key].sort());

    // Replaying again sends nothing: the replayed keys are no longer dead.
    // Each named key is told as not replayed, not left out silently.
    const again = await cli(['dlq', 'replay', ...keys, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ replayed: 0, notDead: keys });
    const againText = await cli(['dlq', 'replay', ...keys]);
    expect(againText.stdout).toContain(`${keys.length} named not replayed: not a dead letter now`);
    expect(ws.simulator.licenses()).toHaveLength(keys.length);
  });

  it('discards the two left, by key and by --target --all: they leave the dead list, show as discarded, and are never sent', async () => {
    const key = dead[0]?.key as string;
    const other = dead[1]?.key as string;
    const r = await cli(['dlq', 'discard', key, '--note', 'handled on paper', '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ discarded: [key], notDead: [] });
    // Discarding it again moves nothing, and says so.
    const twice = await cli(['dlq', 'discard', key]);
    expect(twice.stdout).toBe(
      `discarded 0\n  1 named not discarded: not a dead letter now (already replayed, discarded or delivered, or changed since it was read): ${key}\n`,
    );
    expect((await listDead()).map((d) => d.key)).toEqual([other]);

    // --all takes the dead letters of the named target only; `city`, in no config and named by no
    // dead letter, is refused as a typo (dlq-discard-unknown-target.int.test.ts).
    const city = await cli(['dlq', 'discard', '--target', 'city', '--all', '--json']);
    expect(city.status).toBe(2);
    expect(city.stdout).toBe('');
    const province = await cli(['dlq', 'discard', '--target', 'province', '--all']);
    expect(province.status).toBe(0);
    expect(province.stdout).toBe('discarded 1\n');

    expect(await listDead()).toEqual([]);
    const discarded = await listDead(['--discarded']);
    expect(discarded.map((d) => [d.key, d.state]).sort()).toEqual(
      [
        [key, 'discarded'],
        [other, 'discarded'],
      ].sort(),
    );
    // show falls back to a discarded delivery.
    const shown = await cli(['dlq', 'show', key, '--json']);
    expect(shown.status).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ key, state: 'discarded' });

    // A discarded delivery is not replayed by --all.
    const all = await cli(['dlq', 'replay', '--all', '--json']);
    expect(JSON.parse(all.stdout)).toMatchObject({ replayed: 0 });
    const sent = ws.simulator.licenses().map((l) => l.key);
    expect(sent).not.toContain(key);
    expect(sent).not.toContain(other);
  });

  it('refuses replay and discard without keys or a scope', async () => {
    const replay = await cli(['dlq', 'replay']);
    expect(replay.status).not.toBe(0);
    expect(replay.stderr).toContain('name delivery keys, or pass --target or --all');
    const discard = await cli(['dlq', 'discard', '--all']);
    expect(discard.status).not.toBe(0);
    expect(discard.stderr).toContain('pass --target T --all');
  });
});
