/**
 * `licbridge config check` said ok to a config whose `serve.protectMetrics` no credentials could
 * open, or whose `serve.auth.username` held a `:`; only `licbridge serve` refused them, at start.
 * The check now names each as file:line:column and the setting, and exits 2.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KEY_PEM, positionOf, VALID_CONFIG, writeConfig } from '../config/fixtures.js';
import { licbridge } from '../support/cli.js';

const KEY = { 'data/keys/seal.key.pem': KEY_PEM };

describe('licbridge config check and serve settings refused at start', () => {
  it('reports a user name with a colon at its line, never the password', async () => {
    const password = `pw-${randomBytes(8).toString('hex')}`;
    const text = `${VALID_CONFIG}serve:\n  auth:\n    username: "ops:team"\n    password: ${password}\n`;
    const file = await writeConfig(text, KEY);
    const res = await licbridge(['config', 'check', file]);
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('1 problem(s) in the config');
    const at = positionOf(text, 'ops:team');
    expect(res.stderr).toContain(`${file}:${at.line}:`);
    expect(res.stderr).toMatch(/serve\.auth\.username: holds a `:`/);
    expect(res.stderr).not.toContain(password);
  });

  it('reports protectMetrics without credentials at its line', async () => {
    const text = `${VALID_CONFIG}serve:\n  protectMetrics: true\n`;
    const file = await writeConfig(text, KEY);
    const res = await licbridge(['config', 'check', file]);
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('1 problem(s) in the config');
    const at = positionOf(text, 'protectMetrics: true');
    expect(res.stderr).toContain(`${file}:${at.line}:`);
    expect(res.stderr).toMatch(
      /serve\.protectMetrics: is true but neither `serve\.auth` nor `serve\.metricsAuth`/,
    );
  });
});
