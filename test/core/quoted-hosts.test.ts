/**
 * hideQuoted (core/quoted-values.ts) keeps the client host MySQL and MariaDB quote when they refuse
 * a login (`Access denied for user 'root'@'127.0.0.1'`, `Host '10.0.0.5' is not allowed to
 * connect`): it names the grant to fix, holds no credential and no row's value. `discover` hid it
 * (`'root'@'***'`) where `config check --connect` showed it.
 */
import { describe, expect, it } from 'vitest';
import { hideQuoted } from '../../core/quoted-values.js';

const keep = { backticks: false, keepIdentifiers: true };

describe('hideQuoted and a host', () => {
  it("keeps the host in 'user'@'host' and Host '…'", () => {
    for (const text of [
      "Access denied for user 'root'@'127.0.0.1' (using password: YES)",
      "Access denied for user 'root'@'app-01.example.com' (using password: YES)",
      "Access denied for user 'lb'@'::1' (using password: NO)",
      "Host '10.0.0.5' is not allowed to connect to this MariaDB server",
    ]) {
      expect(hideQuoted(text, keep)).toBe(text);
    }
  });

  it('hides what has no host shape there, and an address quoted as a value', () => {
    expect(hideQuoted("Access denied for user 'root'@'张三'", keep)).toBe(
      "Access denied for user 'root'@'***'",
    );
    expect(hideQuoted("Duplicate entry '10.0.0.5' for key 'uk_ip'", keep)).toBe(
      "Duplicate entry '***' for key 'uk_ip'",
    );
    expect(hideQuoted("Access denied for user 'root'@'127.0.0.1'", { backticks: false })).toBe(
      "Access denied for user '***'@'***'",
    );
  });
});
