// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` is config reference syntax, not a template slip.
/**
 * `serve.metricsAuth.token` exists so a scraper's config holds nothing that opens the dashboard;
 * set to `serve.auth.token` it opens both, and only `licbridge serve` refused it, at start, naming
 * no file or line. A config problem now, at its line, never quoting the token.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatConfigError, loadConfig } from '../../config/loader.js';
import { KEY_PEM, positionOf, problemsOf, VALID_CONFIG, writeConfig } from './fixtures.js';

const randomToken = (): string => `tok-${randomBytes(12).toString('hex')}`;

describe('serve.metricsAuth.token equal to serve.auth.token', () => {
  it('is refused at its line, never quoting the token', async () => {
    const token = randomToken();
    const text = `${VALID_CONFIG}serve:\n  auth: { token: ${token} }\n  metricsAuth:\n    token: "\${env:METRICS_TOKEN}"\n`;
    const { problems, error } = await problemsOf(text, { METRICS_TOKEN: token });
    expect(problems.map((p) => p.path)).toEqual(['serve.metricsAuth.token']);
    expect(problems[0]?.line).toBe(positionOf(text, 'METRICS_TOKEN').line);
    expect(problems[0]?.message).toMatch(/same as `serve\.auth\.token`/);
    expect(formatConfigError(error)).not.toContain(token);
  });

  it('a token of its own loads', async () => {
    const [dashboard, reader] = [randomToken(), randomToken()];
    const file = await writeConfig(
      `${VALID_CONFIG}serve: { auth: { token: ${dashboard} }, metricsAuth: { token: ${reader} } }\n`,
      { 'data/keys/seal.key.pem': KEY_PEM },
    );
    const config = await loadConfig({ file, env: {} });
    expect(config.serve.metricsAuth.token).toBe(reader);
  });
});
