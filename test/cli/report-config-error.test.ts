import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXIT_USAGE } from '../../cli/errors.js';
import { ConfigError } from '../../core/errors.js';
import { runMappingTestFiles } from '../../pipelines/mapping-tests.js';
import { printedError as printed } from './printed-error.js';

const ESC = '\u001b';
const BEL = '\u0007';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('config problems printed to a terminal', () => {
  it('carry no escape sequence from the file or from what --connect quoted', () => {
    const error = new ConfigError([
      {
        file: '/etc/licbridge/licbridge.yaml',
        line: 9,
        column: 1,
        path: '',
        message: `unknown key \`${ESC}[2J${ESC}]0;pwned${BEL}\``,
      },
      {
        file: '/etc/licbridge/licbridge.yaml',
        line: 20,
        column: 10,
        path: 'targets.province.url',
        message: `target province: not reachable: 503 ${ESC}[31mmaintenance${ESC}[0m`,
      },
    ]);
    const { code, text } = printed(error);
    expect(code).toBe(EXIT_USAGE);
    expect(text).not.toContain(ESC);
    expect(text).not.toContain(BEL);
    expect(text).toContain('/etc/licbridge/licbridge.yaml:9:1: unknown key');
    expect(text).toContain('targets.province.url: target province: not reachable: 503 maintenance');
    expect(text).toContain('2 problem(s) in the config');
  });

  it('name what was read: mapping test files, or the test paths given, not the config', async () => {
    const inTest = new ConfigError([
      { file: '/maps/food.test.yaml', line: 3, column: 5, path: 'cases.0', message: 'unknown key `ro`' },
    ]);
    const tests = printed(inTest);
    expect(tests.code).toBe(EXIT_USAGE);
    expect(tests.text).toContain('1 problem(s) in the mapping test file(s); nothing was run');
    expect(tests.text).not.toContain('in the config');

    const unread = await runMappingTestFiles(['/nonexistent/maps']).catch((e: unknown) => e);
    const paths = printed(unread);
    expect(paths.code).toBe(EXIT_USAGE);
    expect(paths.text).toContain('/nonexistent/maps:1:1: test path is not readable');
    expect(paths.text).toContain('1 problem(s) in the test paths given; nothing was run');
  });
});
