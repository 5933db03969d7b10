// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
/**
 * `config check --connect` reports a ledger it cannot reach as one located problem: the database
 * driver's own warning, with its stack trace, is not printed beside it (knex wrote it on stdout).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licbridge } from '../support/cli.js';
import { type ConfigCheckWorkspace, configCheckWorkspace } from './config-check-workspace.js';

describe('config check --connect and an unreachable ledger', () => {
  let ws: ConfigCheckWorkspace;
  let dir: string;
  let file: string;
  let configText: string;
  beforeAll(async () => {
    ws = await configCheckWorkspace('connect', {
      ledgerUrl: 'postgres://licbridge:${env:LEDGER_PASSWORD}@127.0.0.1:1/ledger',
    });
    ({ dir, file, config: configText } = ws);
  });
  afterAll(() => ws.cleanup());

  it('is one located problem, without the driver warning or a stack trace', async () => {
    const r = await licbridge(['config', 'check', '--connect', file], {
      cwd: dir,
      env: { LEDGER_PASSWORD: 'Pw-0f-The-Ledger' },
    });
    expect(r.status).toBe(2);
    const line = configText.split('\n').findIndex((l) => l.startsWith('ledger:')) + 1;
    expect(r.stderr).toMatch(
      new RegExp(`${file}:${line}:\\d+: ledger\\.url: ledger: not reachable: .*ECONNREFUSED`),
    );
    // stdout holds results only; the driver's warning went there, stack trace and all.
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toContain('Acquire connection error');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).not.toContain('Pw-0f-The-Ledger');
  });
});
