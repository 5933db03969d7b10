// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` is config reference syntax, not a template slip.
/**
 * `serve.protectMetrics` with no credentials to open what it closes, and a basic-auth user name
 * holding a `:` (RFC 7617: `user:password` splits at the first colon), were refused only when
 * `licbridge serve` started: `config check` said ok, and the refusal named no file or line. They
 * are config problems now, at their line, like every other.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatConfigError, loadConfig } from '../../config/loader.js';
import { KEY_PEM, positionOf, problemsOf, VALID_CONFIG, writeConfig } from './fixtures.js';

const withServe = (serve: string): string => `${VALID_CONFIG}serve:\n${serve}`;
const password = `pw-${randomBytes(8).toString('hex')}`;
const token = `tok-${randomBytes(12).toString('hex')}`;

async function loads(text: string, env: NodeJS.ProcessEnv = {}) {
  const file = await writeConfig(text, { 'data/keys/seal.key.pem': KEY_PEM });
  return loadConfig({ file, env });
}

describe('serve.protectMetrics without credentials', () => {
  it.each([
    ['no auth at all', '  protectMetrics: true\n'],
    ['a user name without a password', '  protectMetrics: true\n  auth: { username: ops }\n'],
  ])('is refused at its line: %s', async (_what, serve) => {
    const text = withServe(serve);
    const { problems, error } = await problemsOf(text);
    // A user name alone is a problem of its own too (serve-basic-auth-half.test.ts).
    const problem = problems.find((p) => p.path === 'serve.protectMetrics');
    expect(problem?.line).toBe(positionOf(text, 'protectMetrics: true').line);
    expect(problem?.message).toMatch(/serve\.metricsAuth\.token.*serve\.auth/);
    expect(formatConfigError(error)).toContain(`:${problem?.line}:`);
  });

  it.each([
    ['a metricsAuth token', `  protectMetrics: true\n  metricsAuth: { token: ${token} }\n`],
    ['a basic login', `  protectMetrics: true\n  auth: { username: ops, password: ${password} }\n`],
    ['a dashboard token', `  protectMetrics: true\n  auth: { token: ${token} }\n`],
    ['false', '  protectMetrics: false\n'],
  ])('loads with %s', async (_what, serve) => {
    const config = await loads(withServe(serve));
    expect(config.serve.protectMetrics).toBe(serve.includes('true'));
  });
});

describe('serve.auth.username holding a colon', () => {
  it('is refused at its line, never quoting the password', async () => {
    const text = withServe(`  auth:\n    username: "ops:team"\n    password: ${password}\n`);
    const { problems, error } = await problemsOf(text);
    expect(problems.map((p) => p.path)).toEqual(['serve.auth.username']);
    expect(problems[0]?.line).toBe(positionOf(text, 'ops:team').line);
    expect(problems[0]?.message).toMatch(/`:`.*RFC 7617/);
    expect(formatConfigError(error)).not.toContain(password);
  });

  it('is refused when it comes from a reference', async () => {
    const text = withServe(`  auth:\n    username: "\${env:OPS_USER}"\n    password: ${password}\n`);
    const { problems } = await problemsOf(text, { OPS_USER: 'ops:team' });
    expect(problems.map((p) => p.path)).toEqual(['serve.auth.username']);
    expect(problems[0]?.line).toBe(positionOf(text, 'OPS_USER').line);
  });

  it('a user name without one loads', async () => {
    const config = await loads(withServe(`  auth: { username: ops-team, password: ${password} }\n`));
    expect(config.serve.auth.username).toBe('ops-team');
  });
});
