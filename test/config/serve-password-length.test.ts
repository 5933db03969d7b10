/**
 * `serve.auth.token` must be 16 characters or more, but `serve.auth.password`, which opens the same
 * dashboard (pause, retry, remove jobs) to HTTP basic authentication and has no limit on attempts,
 * took any length: `password: a` loaded. A password now has at least 8 characters (NIST SP
 * 800-63B §5.1.1.1's floor for a memorized secret), refused at its line without being shown.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatConfigError, loadConfig } from '../../config/loader.js';
import { KEY_PEM, positionOf, problemsOf, VALID_CONFIG, writeConfig } from './fixtures.js';

const withPassword = (password: string): string =>
  `${VALID_CONFIG}serve:\n  auth:\n    username: ops\n    password: "${password}"\n`;

describe('serve.auth.password length', () => {
  it('a password of 7 characters is refused at its line, not shown', async () => {
    const password = `q${randomBytes(3).toString('hex')}`;
    expect(password).toHaveLength(7);
    const text = withPassword(password);
    const { problems, error } = await problemsOf(text);
    expect(problems.map((p) => p.path)).toEqual(['serve.auth.password']);
    expect(problems[0]?.line).toBe(positionOf(text, password).line);
    expect(problems[0]?.message).toMatch(/8/);
    expect(formatConfigError(error)).not.toContain(password);
  });

  it('a password of 8 characters loads', async () => {
    const password = `q${randomBytes(4).toString('hex').slice(1)}`;
    expect(password).toHaveLength(8);
    const file = await writeConfig(withPassword(password), { 'data/keys/seal.key.pem': KEY_PEM });
    const config = await loadConfig({ file, env: {} });
    expect(config.serve.auth.password).toBe(password);
  });
});
