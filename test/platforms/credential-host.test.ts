/**
 * Which credential URLs are on the target's own host (shared/auth/credential-request.ts): those go
 * out with the target's `tls` (its CA, the unit's client certificate), any other with the public
 * roots and no client certificate. The host is compared as DNS names it: any case, any port, an
 * IPv6 address in any of its spellings, a Chinese domain as its ASCII form, and a fully qualified
 * name written with its trailing dot (`platform.example.`), which names the same host.
 */
import axios from 'axios';
import { describe, expect, it } from 'vitest';
import {
  type AuthConnection,
  onTargetHost,
} from '../../adapters/platforms/shared/auth/credential-request.js';

const on = (target: string): AuthConnection => ({
  target: 'province',
  url: target,
  tls: undefined,
  http: axios,
});

describe('onTargetHost', () => {
  it('the same host in another case, on another port', () => {
    expect(
      onTargetHost('https://PLATFORM.Example:8443/oauth/token', on('https://platform.example/api')),
    ).toBe(true);
  });

  it('an IPv6 address however it is written', () => {
    expect(onTargetHost('https://[0:0:0:0:0:0:0:1]:9443/token', on('https://[::1]/api'))).toBe(true);
  });

  it('a Chinese domain as written or in its ASCII form', () => {
    expect(onTargetHost('https://xn--fsqu00a.xn--0zwm56d/token', on('https://例子.测试/api'))).toBe(true);
  });

  it('a fully qualified name with its trailing dot, on either side', () => {
    expect(onTargetHost('https://platform.example./oauth/token', on('https://platform.example/api'))).toBe(
      true,
    );
    expect(onTargetHost('https://platform.example/oauth/token', on('https://Platform.Example./api'))).toBe(
      true,
    );
  });

  it('another host is not the target’s: a subdomain, a name ending like it, another address', () => {
    const target = on('https://platform.example/api');
    expect(onTargetHost('https://id.platform.example/token', target)).toBe(false);
    expect(onTargetHost('https://evilplatform.example/token', target)).toBe(false);
    expect(onTargetHost('https://platform.example.evil.test/token', target)).toBe(false);
    expect(onTargetHost('https://[::2]/token', on('https://[::1]/api'))).toBe(false);
    expect(onTargetHost('not a url', target)).toBe(false);
  });
});
