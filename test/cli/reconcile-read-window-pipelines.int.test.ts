/**
 * `licbridge reconcile` without a pipeline checks every pipeline in turn. One whose source was
 * outside its `readWindow` was refused when its turn came — after the pipelines before it were
 * checked, their reports stored (and with `--repair --yes`, repaired) — with exit 2 and "nothing
 * was read", which was not so. Such a pipeline is now refused before any pipeline is checked, as a
 * `--target` no pipeline delivers to is (reconcile-target-pipelines.int.test.ts).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';
import { hostClock } from '../support/read-window.js';
import { storedReportCount } from '../support/stored-reports.js';

const A = 'food-business-licenses';
const B = 'food-night';

describe('reconcile of every pipeline, one source outside its read window', { timeout: 120_000 }, () => {
  let ws: DemoWorkspace;
  let window: string;
  const cli = (args: string[]) => licbridge([...args, '--config', ws.configFile], { cwd: ws.dir });
  const stored = (): number => storedReportCount(ws.dir);

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 6, seed: 13 });
    let yaml = await readFile(ws.configFile, 'utf8');
    // B: the demo pipeline again, after it, reading the same table through a source read only in a
    // window that opens in two hours: closed now.
    window = `${hostClock(2)}-${hostClock(3)}`;
    const block = /\n {2}food-business-licenses:\n((?: {4}.*\n)+)/.exec(yaml)?.[1];
    if (!block) throw new Error('the demo config has no food-business-licenses pipeline');
    yaml = yaml.replace(
      `${block}signers:`,
      `${block}  ${B}:\n${block.replace('source: market-food', 'source: market-night')}signers:`,
    );
    yaml = yaml.replace(
      '  market-food: { kind: sqlite, path: ./data/legacy.db, trim: all }\n',
      `  market-food: { kind: sqlite, path: ./data/legacy.db, trim: all }\n  market-night: { kind: sqlite, path: ./data/legacy.db, trim: all, readWindow: "${window}" }\n`,
    );
    await writeFile(ws.configFile, yaml);
    const run = await cli(['run', A]);
    expect(run.status, run.stderr).toBe(0);
  }, 120_000);
  afterAll(async () => ws?.cleanup());

  it('refuses before any pipeline is checked, naming the source and its window', async () => {
    const before = stored();
    const r = await cli(['reconcile', '--json']);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain(`source market-night is read only in its readWindow \`${window}\``);
    expect(r.stderr).toContain(B);
    expect(r.stdout).toBe('');
    expect(stored()).toBe(before);
  });

  it('checks a pipeline named whose source is inside its window', async () => {
    const before = stored();
    const r = await cli(['reconcile', A, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { report: { pipeline: string } }).report.pipeline).toBe(A);
    expect(stored()).toBe(before + 1);
  });
});
