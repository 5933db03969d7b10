/**
 * Every place a time zone is given refuses one it does not know by one rule and with one message,
 * naming the file, the field and the value (core/time-zone.ts). The schedules, the reconcile
 * report's times, the `date` transform and the department's "today" each said it in words of
 * their own, some without the file; and `lifecycle.timeZone` and `reconcile.timeZone` loaded
 * unchecked, the reconcile zone failing only inside the first report. A mapping test file's
 * `timeZone:`, a front-db target's `timeZone` and `quarantine --tz` kept words of their own after.
 */
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerQuarantineCommand } from '../../cli/commands/quarantine.js';
import { formatConfigError, loadConfig } from '../../config/loader.js';
import type { Config } from '../../config/types.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { compileMappingText } from '../../mappings/compile.js';
import { parseMappingTestFile } from '../../mappings/mapping-test.js';
import { lifecycleToday } from '../../pipelines/lifecycle/settings.js';
import type { QueueSet } from '../../pipelines/queues.js';
import { assertTimeZone } from '../../pipelines/reconcile/local-time.js';
import { syncSchedules } from '../../pipelines/schedules.js';
import { KEY_PEM, positionOf, problemsOf, VALID_CONFIG, writeConfig } from './fixtures.js';

const BAD = 'Asia/Shangai';
const FILE = '/etc/licbridge/licbridge.yaml';
const said = (field: string) =>
  `expected \`${field}\` to be an IANA time zone such as Asia/Shanghai, got \`${BAD}\`, which this system does not know`;

function thrown(f: () => unknown): LicbridgeError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(LicbridgeError);
    expect((e as LicbridgeError).code).toBe(ErrorCodes.CONFIG_INVALID);
    return e as LicbridgeError;
  }
  throw new Error('not refused');
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('a time zone this system does not know', () => {
  it('schedule: refused before Redis is asked anything, naming the file', async () => {
    const config = {
      file: FILE,
      pipelines: {},
      reconcile: {},
      lifecycle: { timeZone: BAD },
    } as unknown as Config;
    // Nothing of the queues may be touched: an empty object would throw a TypeError instead.
    const e = await syncSchedules(config, {} as QueueSet).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(e).toBeInstanceOf(LicbridgeError);
    expect((e as LicbridgeError).message).toBe(
      `schedule: nothing installed: ${FILE}: ${said('lifecycle.timeZone')}`,
    );
  });

  it("the reports' local time: the same message", () => {
    expect(thrown(() => assertTimeZone(BAD, 'reconcile.timeZone', FILE)).message).toBe(
      `${FILE}: ${said('reconcile.timeZone')}`,
    );
  });

  it("the department's today (a run's and preview's mapper): the same message", () => {
    vi.stubEnv('LICBRIDGE_TODAY', '2024-03-01');
    const config = { file: FILE, lifecycle: { timeZone: BAD } } as unknown as Config;
    expect(thrown(() => lifecycleToday(config)).message).toBe(`${FILE}: ${said('lifecycle.timeZone')}`);
  });

  it('the date transform: the same message at the mapping file and line', () => {
    const text = `fields:\n  issueDate: { from: FZRQ, transform: [{ date: { formats: [yyyyMMdd], zone: ${BAD} } }] }\n`;
    let message = '';
    try {
      compileMappingText(text, '/maps/m.yaml');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(`/maps/m.yaml:2:`);
    expect(message).toContain(said('zone'));
  });

  it('a zone given as no text', () => {
    const text =
      'fields:\n  issueDate: { from: FZRQ, transform: [{ date: { formats: [yyyyMMdd], zone: 8 } }] }\n';
    expect(() => compileMappingText(text, '/maps/m.yaml')).toThrow(
      'expected `zone` to be an IANA time zone such as Asia/Shanghai, got `8` (number)',
    );
  });

  it.each(['UTC', 'Etc/GMT-8', 'asia/shanghai', 'PRC'])(
    'the config: %s, a zone Intl knows as written, still loads in both places',
    async (zone) => {
      const text = `${VALID_CONFIG}lifecycle: { timeZone: ${zone} }\nreconcile:\n  timeZone: ${zone}\n`;
      const config = await loadConfig({
        file: await writeConfig(text, { 'data/keys/seal.key.pem': KEY_PEM }),
        env: {},
      });
      expect([config.lifecycle?.timeZone, config.reconcile.timeZone]).toEqual([zone, zone]);
    },
  );

  it('the config: both zones refused at load, each at its line', async () => {
    const text = `${VALID_CONFIG}lifecycle: { timeZone: ${BAD} }\nreconcile:\n  timeZone: ${BAD}\n`;
    const { error, problems, file } = await problemsOf(text);
    expect(problems.map((p) => [p.path, p.line, p.message])).toEqual([
      ['lifecycle.timeZone', positionOf(text, 'lifecycle:').line, said('lifecycle.timeZone')],
      ['reconcile.timeZone', positionOf(text, `  timeZone: ${BAD}`).line, said('reconcile.timeZone')],
    ]);
    expect(formatConfigError(error)).toContain(`${file}:${positionOf(text, `  timeZone: ${BAD}`).line}:`);
  });

  it("a mapping test file's timeZone: the same message at its file and line", () => {
    const text = `mapping: ./m.yaml\ntoday: "2024-02-29"\ntimeZone: ${BAD}\ncases: []\n`;
    let message = '';
    try {
      parseMappingTestFile(text, '/maps/m.test.yaml');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(`/maps/m.test.yaml:3:`);
    expect(message).toContain(said('timeZone'));
  });

  it("a front-db target's timeZone: the same message at the config's line", async () => {
    const text = `${VALID_CONFIG}  city:\n    kind: front-db\n    client: sqlite\n    path: ./front.db\n    dataSource: 11370211MB1234567X\n    timeZone: ${BAD}\n`;
    const { problems } = await problemsOf(text);
    expect(problems.map((p) => [p.path, p.line, p.message])).toEqual([
      ['targets.city.timeZone', positionOf(text, `    timeZone: ${BAD}`).line, said('targets.city.timeZone')],
    ]);
  });

  it('quarantine --tz: the same message', async () => {
    const program = new Command().exitOverride();
    registerQuarantineCommand(program);
    const e = await program.parseAsync(['quarantine', 'list', '--tz', BAD], { from: 'user' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(e).toBeInstanceOf(LicbridgeError);
    expect((e as LicbridgeError).code).toBe(ErrorCodes.USAGE);
    expect((e as LicbridgeError).message).toBe(`quarantine: ${said('--tz')}`);
  });
});
