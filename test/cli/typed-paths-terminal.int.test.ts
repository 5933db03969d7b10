/**
 * A file name the operator typed, printed back once the file is written: `discover
 * --draft-mapping`, `reconcile --html` and `audit export --out` printed it as given, so a name
 * holding an escape sequence (pasted, or from a script's variable) reached the terminal and was
 * obeyed: an OSC sequence set the window title. `config check` prints its file's name inert since
 * ac104334; these now do too, on one line, the file itself written under the name as given.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { licbridge } from '../support/cli.js';
import { createDemoWorkspace, type DemoWorkspace } from '../support/demo-workspace.js';

const OSC = '\u001b]0;owned\u0007';

describe('a typed file name with an escape sequence, printed after the file is written', () => {
  let ws: DemoWorkspace;
  beforeAll(async () => {
    ws = await createDemoWorkspace({ rows: 6, seed: 5 });
    const config = await loadConfig({ file: ws.configFile, env: {} });
    await runPipelines(config, {
      pipelines: ['food-business-licenses'],
      full: false,
      logger: createLogger({ level: 'silent' }),
    });
  }, 120_000);
  afterAll(async () => ws?.cleanup());

  const cli = (args: string[]) =>
    licbridge([...args, '--config', ws.configFile], {
      cwd: ws.dir,
      env: { LICBRIDGE_LOG_LEVEL: 'silent' },
    });

  function expectInert(stdout: string, shown: string): void {
    expect(stdout).not.toContain('\u001b');
    expect(stdout).not.toContain('\u0007');
    expect(stdout).toContain(shown);
  }

  it('discover --draft-mapping', async () => {
    const file = join(ws.dir, `draft${OSC}.yaml`);
    const r = await cli(['discover', 'market-food', '--table', 'T_SPXK_XKZ', '--draft-mapping', file]);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(file)).toBe(true);
    expectInert(r.stdout, `wrote a draft mapping: ${join(ws.dir, 'draft.yaml')}\n`);
  });

  it('reconcile --html', async () => {
    const file = join(ws.dir, `report${OSC}.html`);
    const r = await cli(['reconcile', 'food-business-licenses', '--html', file]);
    expect(existsSync(file), r.stderr).toBe(true);
    expectInert(r.stdout, `HTML report: ${join(ws.dir, 'report.html')}\n`);
  });

  it('audit export --out', async () => {
    const file = join(ws.dir, `audit${OSC}.jsonl`);
    const r = await cli(['audit', 'export', '--out', file]);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(file)).toBe(true);
    expectInert(r.stdout, ` to ${join(ws.dir, 'audit.jsonl')}; signature `);
  });
});
