/**
 * An empty `tls.ca` is refused as a connection is built (core/tls.ts trustedCa). The message named
 * the setting only: a config with a dozen connections, each with its own `tls.ca`, did not say
 * which one to fix. It now names the connection — a source by name and kind, the queue by its
 * Redis endpoint — and never its user or password.
 */
import { describe, expect, it } from 'vitest';
import { createTarget } from '../../adapters/platforms/create-target.js';
import { createSigner } from '../../adapters/signers/create-signer.js';
import type { SourceConfig } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import { queueConnection } from '../../pipelines/redis.js';

function refusal(build: () => unknown): Error {
  try {
    build();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the connection to be refused');
}

describe('an empty tls.ca names its connection', () => {
  it.each(['postgres', 'mysql', 'mssql'])('a %s source, by name and kind', async (kind) => {
    const config = {
      kind,
      connection: {
        host: 'db01',
        database: 'SPXK',
        user: 'spxk_reader',
        password: 'Pw-9f3kq!x',
        tls: { ca: ' \n' },
      },
    } as unknown as SourceConfig;
    const error = await openSource('market-food', config).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(
      new RegExp(
        `^source market-food \\(${kind}\\): expected \`tls\\.ca\` to hold PEM CA certificates.*public roots`,
      ),
    );
    expect(error?.message).not.toContain('spxk_reader');
    expect(error?.message).not.toContain('Pw-9f3kq!x');
  });

  it('the queue, by its Redis endpoint without credentials', () => {
    const error = refusal(() =>
      queueConnection({ url: 'rediss://lb:Pw-9f3kq!x@redis01:6380/0', tls: { ca: '' } } as never),
    );
    expect(error.message).toMatch(/^queue: Redis at rediss:\/\/redis01:6380: expected `tls\.ca`/);
    expect(error.message).not.toContain('Pw-9f3kq!x');
    const sentinel = refusal(() =>
      queueConnection({ sentinels: ['s1:26379'], name: 'lbmaster', tls: { ca: ' ' } } as never),
    );
    expect(sentinel.message).toMatch(
      /^queue: Redis at master `lbmaster` via sentinels s1:26379: expected `tls\.ca`/,
    );
  });
});

describe('an empty tls.ca of a target', () => {
  it.each([
    [
      'rest-json',
      {
        kind: 'rest-json',
        url: 'https://province.gov.example/api',
        auth: { scheme: 'none' },
        tls: { ca: ' ' },
      },
    ],
    [
      'front-db',
      {
        kind: 'front-db',
        client: 'postgres',
        table: 'UP_LIC_DATA',
        connection: {
          host: 'db02',
          database: 'qz',
          user: 'front_writer',
          password: 'Pw-9f3kq!x',
          tls: { ca: ' ' },
        },
      },
    ],
  ])('names a %s target by name and kind', async (kind, config) => {
    const error = await createTarget('province', config as never).then(
      (t) => t.close().then(() => undefined),
      (e: Error) => e,
    );
    expect(error?.message).toMatch(new RegExp(`^target province \\(${kind}\\): expected \`tls\\.ca\``));
    expect(error?.message).not.toContain('front_writer');
    expect(error?.message).not.toContain('Pw-9f3kq!x');
  });
});

describe('an empty tls.ca of a signing server', () => {
  it('names the signer by name and kind', async () => {
    const config = { kind: 'remote', url: 'https://sign.gov.example/api', tls: { ca: ' ' } };
    const error = await createSigner('district-seal', config as never).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/^signer district-seal \(remote\): expected `tls\.ca`/);
  });
});
