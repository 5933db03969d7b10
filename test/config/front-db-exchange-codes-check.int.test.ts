/**
 * `licbridge config check` refuses a front-db target whose `exchangeStatus` puts one code in both
 * lists: exit 2, the config file, its line, the target and the code — before any run opens it.
 */
import { appendFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfigCheckWorkspace, configCheckWorkspace } from '../cli/config-check-workspace.js';
import { licbridge } from '../support/cli.js';

describe('config check: front-db exchange codes', () => {
  let ws: ConfigCheckWorkspace;

  beforeAll(async () => {
    ws = await configCheckWorkspace('front-db-codes');
    await appendFile(
      ws.file,
      `  city-front:
    kind: front-db
    client: sqlite
    path: ./front.db
    dataSource: 11370211MB1234567X
    exchangeStatus:
      accepted: ["1", "9"]
      rejected: ["2", "9"]
`,
    );
  });
  afterAll(() => ws.cleanup());

  it('exits 2 naming the file, the line, the target and the code', async () => {
    const r = await licbridge(['config', 'check', ws.file]);
    expect(r.status).toBe(2);
    const line = ws.config.split('\n').length + 7;
    expect(r.stderr).toContain(`${ws.file}:${line}:`);
    expect(r.stderr).toContain('targets.city-front.exchangeStatus.rejected[1]: target city-front: code `9`');
    expect(r.stdout).not.toContain('ok');
  });
});
