/**
 * HTTP basic authentication needs `serve.auth.username` and `serve.auth.password` both. With one of
 * them alone the config loaded and `config check` said ok, while `serve` offered no basic login at
 * all: the dashboard was not served (a warning in the log), or, beside a token, a browser was never
 * asked for a login. The one written is refused at its line, naming the one missing.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatConfigError } from '../../config/loader.js';
import { positionOf, problemsOf, VALID_CONFIG } from './fixtures.js';

const password = `pw-${randomBytes(8).toString('hex')}`;
const token = `tok-${randomBytes(12).toString('hex')}`;

describe('half a basic login in serve.auth', () => {
  it.each([
    [
      'a user name alone',
      '    username: ops\n',
      'username: ops',
      'serve.auth.username',
      /serve\.auth\.password/,
    ],
    [
      'a user name beside a token',
      `    username: ops\n    token: ${token}\n`,
      'username: ops',
      'serve.auth.username',
      /serve\.auth\.password/,
    ],
    [
      'a password alone',
      `    password: ${password}\n`,
      'password:',
      'serve.auth.password',
      /serve\.auth\.username/,
    ],
  ])('%s is refused at its line', async (_what, auth, at, path, missing) => {
    const text = `${VALID_CONFIG}serve:\n  auth:\n${auth}`;
    const { problems, error } = await problemsOf(text);
    expect(problems.map((p) => p.path)).toEqual([path]);
    expect(problems[0]?.line).toBe(positionOf(text, at).line);
    expect(problems[0]?.message).toMatch(missing);
    expect(formatConfigError(error)).not.toContain(password);
    expect(formatConfigError(error)).not.toContain(token);
  });
});
