/**
 * `licbridge lifecycle run` shows its progress on stderr: per pipeline the versions its tick
 * expired so far, then the signatures and deliveries of the tick's versions, as counts. It said
 * nothing until its summary, however long the first tick after years of data took. `--json`
 * keeps stderr free of it, as `run` and `demo` do. `--progress-interval 0` writes a line at each
 * step, so the test needs no clock: the default waits five seconds before the first line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { addDays } from '../../core/local-date.js';
import { createLogger } from '../../core/logger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const logger = createLogger({ level: 'silent' });
const PIPELINE = 'food-business-licenses';
const FIRST_DAY = '2022-06-01';

/** The progress lines of a command's stderr (its log lines are JSON or start with a level). */
const progressLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('lifecycle run: '));

describe('lifecycle run: progress', () => {
  let ws: DemoWorkspace;
  const savedToday = process.env.LICBRIDGE_TODAY;

  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 60, seed: 11 });
    process.env.LICBRIDGE_TODAY = FIRST_DAY;
    const config = await loadConfig({ file: ws.configFile, env: {} });
    const [s] = await runPipelines(config, { pipelines: [PIPELINE], full: false, logger });
    expect(s?.state).toBe('done');
  }, 120_000);

  afterAll(async () => {
    if (savedToday === undefined) delete process.env.LICBRIDGE_TODAY;
    else process.env.LICBRIDGE_TODAY = savedToday;
    await ws?.cleanup();
  });

  it('counts the expiries, then the signatures and deliveries, on stderr; none with --json', async () => {
    const day = addDays(FIRST_DAY, 365);
    process.env.LICBRIDGE_TODAY = day;
    const args = ['lifecycle', 'run', '--today', day, '--progress-interval', '0', '-c', ws.configFile];
    const shown = await licbridge(args);
    expect(shown.status, shown.stderr).toBe(0);
    const expired = Number(/expired (\d+)/.exec(shown.stdout)?.[1]);
    expect(expired).toBeGreaterThan(2);
    const lines = progressLines(shown.stderr);
    expect(lines[0]).toMatch(new RegExp(`^lifecycle run: ${PIPELINE}: expired: ${expired} \\d+/s$`));
    // Each version signed once and delivered once to the one target: twice as many steps.
    const steps = 2 * expired;
    const waiting = lines.slice(1);
    expect(waiting.length).toBeGreaterThan(0);
    for (const l of waiting)
      expect(l).toMatch(
        new RegExp(`^lifecycle run: signed and delivered: \\d+/${steps} \\(\\d+\\.\\d%\\) \\d+/s ETA `),
      );
    expect(waiting.at(-1)).toMatch(new RegExp(`: ${steps}/${steps} \\(100\\.0%\\)`));
    // Counts only: no license number or holder of the demo's data.
    expect(lines.join('\n')).not.toMatch(/\p{Script=Han}/u);
    // Never on stdout, which holds the summary alone.
    expect(shown.stdout).not.toContain('lifecycle run: ');

    // The next day (nothing left to expire but a second tick's run): --json keeps stderr clear.
    const next = addDays(day, 400);
    process.env.LICBRIDGE_TODAY = next;
    const json = await licbridge([
      'lifecycle',
      'run',
      '--today',
      next,
      '--progress-interval',
      '0',
      '--json',
      '-c',
      ws.configFile,
    ]);
    expect(json.status, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).pipelines[0]).toMatchObject({ pipeline: PIPELINE, outcome: 'ticked' });
    expect(progressLines(json.stderr)).toEqual([]);
  }, 180_000);

  it('refuses a --progress-interval that is no whole number of seconds', async () => {
    const r = await licbridge(['lifecycle', 'run', '--progress-interval', '0.5', '-c', ws.configFile]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      'expected `--progress-interval` to be a whole number of seconds, 0 or more, got `0.5`',
    );
  });
});
