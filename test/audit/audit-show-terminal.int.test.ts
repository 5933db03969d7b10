/**
 * `audit show` prints what the chain holds, and an entry's actor is what the operator who acted
 * set (`LICBRIDGE_ACTOR`): escape sequences and bidi controls in it reached the auditor's terminal,
 * where `ESC[1A ESC[2K` erases the line before, `U+202E` reverses what follows and a line break
 * starts a line of its own, so an entry could hide itself or another, or show one the chain does
 * not hold, to a person reading the trail. Shown as text, as `status` shows
 * a source's words: nothing a terminal obeys gets through, in text or in `--json`. Such an actor is
 * now refused when set (ledger/audit-chain.ts); a chain an earlier release wrote may still hold one.
 * Needs Redis and the demo workspace.
 */
import { expect, it } from 'vitest';
import { openLedger } from '../../ledger/open-ledger.js';
import { objectionWorkspace } from '../lifecycle/objection-fixture.js';
import { licbridge } from '../support/cli.js';

const demo = objectionWorkspace(5);

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is looked for
const OBEYED = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

it('an actor holding escape sequences and bidi controls is shown without them', {
  timeout: 180_000,
}, async () => {
  const lic = demo.pickLicense({ notObjected: true });
  // A sequence erasing the line before, a bidi override, and a line break starting a forged entry.
  const forged = '99  2026-01-01T00:00:00.000Z  revoke  operator:director';
  const actor = `clerk-9\u001b[1A\u001b[2K\u202eevil\n${forged}`;
  const cli = (...args: string[]) =>
    licbridge([...args, '--config', demo.ws.configFile], { env: { LICBRIDGE_ACTOR: actor } });
  // Set now, it is refused before anything is written, naming the variable and not echoing it.
  const refused = await cli(
    'objection',
    'open',
    lic.id,
    '--unit',
    '某街道便民服务中心',
    '--reason',
    '地址有误',
  );
  expect(refused.status).toBe(2);
  expect(refused.stderr).toContain('`LICBRIDGE_ACTOR`');
  expect(refused.stderr).toContain('U+001B at character 8');
  expect(refused.stderr).not.toMatch(OBEYED);
  expect(demo.audit(lic.id)).toEqual([]);
  // As an earlier release wrote it: the chain holds the actor as it was set.
  const ledger = await openLedger(demo.config.ledger.url);
  try {
    await ledger.openObjection({
      licenseId: lic.id,
      unit: '某街道便民服务中心',
      reason: '地址有误',
      actor: `operator:${actor}`,
    });
  } finally {
    await ledger.close();
  }
  expect(demo.audit(lic.id).map((a) => a.actor)).toContain(`operator:${actor}`);

  const text = await cli('audit', 'show', '--license', lic.id);
  expect(text.status, text.stderr).toBe(0);
  expect(text.stdout).toContain('objection  operator:clerk-9');
  expect(text.stdout).not.toMatch(OBEYED);
  expect(text.stdout).not.toMatch(/^99 {2}/m);

  const json = await cli('audit', 'show', '--license', lic.id, '--json');
  expect(json.status, json.stderr).toBe(0);
  expect(json.stdout).not.toMatch(OBEYED);
  // The same values, written as escapes: the JSON still reads back as the chain holds it.
  const actors = json.stdout
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { actor: string }).actor);
  expect(actors).toContain(`operator:${actor}`);
});
