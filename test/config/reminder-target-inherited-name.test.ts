/**
 * A reminder's `target` is looked up among the config's own targets. The lookup asked `name in
 * targets` of the targets as read, which have the prototype every object has, so a target named
 * as something every object inherits (`constructor`, `toString`) was called "not a notify target",
 * as though the config defined it. It is an unknown target, as any other name the config lacks.
 */
import { describe, expect, it } from 'vitest';
import { problemsOf, VALID_CONFIG } from './fixtures.js';

const TYPE = '11370200MB1234567X001';
const NOTIFY = `  holder-sms:
    kind: notify
    url: http://127.0.0.1:7802
    auth: { scheme: hmac, appKey: gw, secret: "\${env:LB_TEST_GW_SECRET:-gw-secret}" }
`;

describe('a reminder target named as an inherited member', () => {
  it.each(['constructor', 'toString', 'hasOwnProperty'])('%s is an unknown target', async (name) => {
    const text = `${VALID_CONFIG}${NOTIFY}lifecycle:\n  reminders:\n    ${TYPE}: { target: ${name}, thresholds: [30] }\n`;
    const { problems } = await problemsOf(text);
    const messages = problems
      .filter((p) => p.path === `lifecycle.reminders.${TYPE}.target`)
      .map((p) => p.message);
    // `toString` and `hasOwnProperty` break the name pattern as well, said apart.
    expect(messages).toContain(`unknown target \`${name}\`; notify targets: \`holder-sms\``);
    expect(messages.join('\n')).not.toContain('is not a notify target');
  });
});
