/**
 * With LICBRIDGE_DEBUG set, the CLI prints the stack after the one-line message. The stack opens
 * with the message, which may quote a driver or a platform: the escape sequences the line drops
 * must not reach the terminal through the stack either, and no referenced value may.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` is config reference syntax, not a template slip.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXIT_FAILED } from '../../cli/errors.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { registerSecret } from '../../core/scrub.js';
import { printedError as printed } from './printed-error.js';

const ESC = '\u001b';
const BEL = '\u0007';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('LICBRIDGE_DEBUG stacks', () => {
  it.each([
    ['a licbridge error', (m: string) => new LicbridgeError(ErrorCodes.TARGET_REJECTED, m)],
    ['an unexpected error', (m: string) => new Error(m)],
  ])('of %s carry no escape sequence a driver put in the message', (_what, make) => {
    vi.stubEnv('LICBRIDGE_DEBUG', '1');
    const { code, text } = printed(make(`target p: refused: ${ESC}]0;pwned${BEL}${ESC}[2Jgone`));
    expect(code).toBe(EXIT_FAILED);
    // The stack is printed: its frames follow the message.
    expect(text).toMatch(/\n\s+at /);
    expect(text).not.toContain(ESC);
    expect(text).not.toContain(BEL);
    expect(text).toContain('gone');
  });

  it('carry no value from a config reference', () => {
    vi.stubEnv('LICBRIDGE_DEBUG', '1');
    const secret = `pw-${randomBytes(6).toString('hex')}`;
    registerSecret(secret, '${env:DB_PASSWORD}');
    const { text } = printed(new Error(`login failed for ${secret}`));
    expect(text).toMatch(/\n\s+at /);
    expect(text).not.toContain(secret);
    expect(text).toContain('[from ${env:DB_PASSWORD}]');
  });
});
