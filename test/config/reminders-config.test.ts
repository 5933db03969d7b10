/**
 * The `notify` target kind and `lifecycle.reminders` in a config: defaults applied, and each slip
 * a config problem at its line — a reminder naming a target that is not a notify target, a
 * pipeline delivering licenses to one, a bad threshold, a key that is not a license type.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { KEY_PEM, positionOf, problemsOf, VALID_CONFIG, writeConfig } from './fixtures.js';

const TYPE = '11370200MB1234567X001';

const NOTIFY = `  holder-sms:
    kind: notify
    url: http://127.0.0.1:7802
    auth: { scheme: hmac, appKey: gw, secret: "\${env:LB_TEST_GW_SECRET:-gw-secret}" }
`;

const withReminders = (entry: string, targets = NOTIFY) =>
  `${VALID_CONFIG}${targets}lifecycle:\n  reminders:\n    ${entry}\n`;

async function messages(text: string): Promise<string[]> {
  const { problems } = await problemsOf(text);
  return problems.map((p) => `${p.line} ${p.path}: ${p.message}`);
}

describe('reminders in the config', () => {
  it('reads a notify target and per-type thresholds with their defaults', async () => {
    const file = await writeConfig(
      withReminders(`${TYPE}: { target: holder-sms, thresholds: [90, 30, 7] }`),
      {
        'data/keys/seal.key.pem': KEY_PEM,
      },
    );
    const config = await loadConfig({ file, env: {} });
    expect(config.targets['holder-sms']).toEqual({
      kind: 'notify',
      url: 'http://127.0.0.1:7802',
      channel: 'sms',
      auth: { scheme: 'hmac', appKey: 'gw', secret: 'gw-secret' },
      template: 'license-expiry',
      timeoutMs: 10_000,
      concurrency: 4,
      attempts: 3,
      backoffMs: 1000,
    });
    expect(config.lifecycle?.reminders).toEqual({
      [TYPE]: { target: 'holder-sms', thresholds: [90, 30, 7] },
    });
  });

  it('has no reminders by default', async () => {
    const file = await writeConfig(VALID_CONFIG, { 'data/keys/seal.key.pem': KEY_PEM });
    expect((await loadConfig({ file, env: {} })).lifecycle?.reminders ?? {}).toEqual({});
  });

  it('refuses a reminder target that is not a notify target, at its line', async () => {
    const text = withReminders(`${TYPE}: { target: province, thresholds: [30] }`);
    const { line } = positionOf(text, `${TYPE}: { target`);
    expect(await messages(text)).toEqual([
      `${line} lifecycle.reminders.${TYPE}.target: target \`province\` is not a notify target; notify targets: \`holder-sms\``,
    ]);
    expect((await messages(withReminders(`${TYPE}: { target: holder-smss, thresholds: [30] }`)))[0]).toMatch(
      /unknown target `holder-smss`; notify targets: `holder-sms`; did you mean `holder-sms`\?/,
    );
  });

  it('refuses a pipeline delivering licenses to a notify target', async () => {
    const text = `${VALID_CONFIG.replace('targets: [province]', 'targets: [province, holder-sms]')}${NOTIFY}`;
    expect((await problemsOf(text)).problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'pipelines.food-business-licenses.targets[1]: target `holder-sms` is a notify target: it sends reminders to holders, not licenses; name it in lifecycle.reminders',
    ]);
  });

  it('refuses reminders for a license type no pipeline issues, at its line, naming the types issued', async () => {
    const typo = TYPE.replace('X001', 'X002');
    const text = withReminders(`${typo}: { target: holder-sms, thresholds: [30] }`);
    const { line } = positionOf(text, `${typo}: { target`);
    expect(await messages(text)).toEqual([
      `${line} lifecycle.reminders.${typo}: no pipeline issues license type \`${typo}\`, so no holder would be reminded; pipelines issue \`${TYPE}\`; did you mean \`${TYPE}\`?`,
    ]);
  });

  it('refuses bad thresholds, keys that are not license types and unknown channels', async () => {
    expect(
      (await messages(withReminders(`${TYPE}: { target: holder-sms, thresholds: [-1] }`))).join('\n'),
    ).toMatch(/thresholds/);
    expect(
      (await messages(withReminders(`${TYPE}: { target: holder-sms, thresholds: [] }`))).join('\n'),
    ).toMatch(/thresholds/);
    expect(
      (await messages(withReminders('food: { target: holder-sms, thresholds: [7] }'))).join('\n'),
    ).toMatch(/lifecycle\.reminders/);
    expect((await messages(`${VALID_CONFIG}${NOTIFY}    channel: fax\n`)).join('\n')).toMatch(/channel/);
  });
});
