/**
 * hideQuoted (core/quoted-values.ts) hides what a driver quotes of a row. An apostrophe inside a
 * word (`certificate's`, `can't`) opens no quote: paired with the next one, it hid the words
 * between, such as the host name Node's TLS check names (`certificate's altnames: Host: db… is
 * not in the cert's altnames`). A quoted path of a file (`open '/etc/licbridge/seal.pem'`) is what
 * an operator acts on and is kept, as a quoted table name is; a path holding other than ASCII is not.
 */
import { describe, expect, it } from 'vitest';
import { hideQuoted } from '../../core/quoted-values.js';

const keep = { backticks: false, keepIdentifiers: true };

describe('hideQuoted', () => {
  it('reads an apostrophe inside a word as no quote', () => {
    const tls =
      "Hostname/IP does not match certificate's altnames: Host: db.example.com. is not in the cert's altnames: DNS:other.example.com";
    expect(hideQuoted(tls, keep)).toBe(tls);
    expect(hideQuoted("the platform's answer can't be read: '测试敏感名'", keep)).toBe(
      "the platform's answer can't be read: '***'",
    );
  });

  it("hides a value holding an apostrophe whole (O'Brien)", () => {
    expect(hideQuoted("Duplicate entry 'O'Brien' for key 'uk_holder'", keep)).toBe(
      "Duplicate entry '***' for key 'uk_holder'",
    );
  });

  it('keeps a quoted ASCII path of a file, and hides one holding a name', () => {
    const fs = "ENOENT: no such file or directory, open '/etc/licbridge/seal-2026.pem'";
    expect(hideQuoted(fs, keep)).toBe(fs);
    expect(hideQuoted("EACCES: permission denied, open 'C:\\licbridge\\key.pem'", keep)).toBe(
      "EACCES: permission denied, open 'C:\\licbridge\\key.pem'",
    );
    expect(hideQuoted("ENOENT: no such file or directory, open './out/a b.ofd'", keep)).toBe(
      "ENOENT: no such file or directory, open './out/a b.ofd'",
    );
    expect(hideQuoted("open '/data/测试敏感名.xml'", keep)).toBe("open '***'");
    // A date is a value, not a path.
    expect(hideQuoted('invalid input syntax for type date: "1949/12/31"', keep)).toBe(
      'invalid input syntax for type date: "***"',
    );
  });

  it('hides a value read as a name where the words say it is a value (a pinyin name)', () => {
    expect(hideQuoted("Duplicate entry 'zhangsan' for key 'uk_holder'", keep)).toBe(
      "Duplicate entry '***' for key 'uk_holder'",
    );
    expect(
      hideQuoted("Conversion failed when converting the nvarchar value 'zhangsan' to data type int.", keep),
    ).toBe("Conversion failed when converting the nvarchar value '***' to data type int.");
    expect(hideQuoted("Incorrect integer value: 'lisi' for column 'nl' at row 1", keep)).toBe(
      "Incorrect integer value: '***' for column 'nl' at row 1",
    );
    expect(hideQuoted('invalid input syntax for type date: "wangwu"', keep)).toBe(
      'invalid input syntax for type date: "***"',
    );
    expect(
      hideQuoted(
        'ORA-12899: value too large for column "LB"."T_XKZ"."CZRXM" (actual: 40, maximum: 30)',
        keep,
      ),
    ).toBe('ORA-12899: value too large for column "LB"."T_XKZ"."CZRXM" (actual: 40, maximum: 30)');
  });

  it("hides a value behind an SQL literal's prefix (N'…', E'…', X'…'), even one read as a name", () => {
    expect(hideQuoted("name = N'张三' and id = N'李四'", keep)).toBe("name = N'***' and id = N'***'");
    expect(hideQuoted("where xm = n'张三'", { backticks: false })).toBe("where xm = n'***'");
    expect(hideQuoted("VALUES (N'Zhangsan', E'li\\nsi', X'c0ff', 'uk_holder')", keep)).toBe(
      "VALUES (N'***', E'***', X'***', 'uk_holder')",
    );
    // A letter inside a word is no prefix: O'Brien and an apostrophe in a word stay as they were.
    expect(hideQuoted("Duplicate entry 'N'Golo' for key 'uk_holder'", keep)).toBe(
      "Duplicate entry '***' for key 'uk_holder'",
    );
    expect(hideQuoted("the platform's answer can't be read: N'测试敏感名'", keep)).toBe(
      "the platform's answer can't be read: N'***'",
    );
  });

  it('keeps a quoted pinyin name in one word, lower-case or capitalised, unless the words say it is a value', () => {
    const names = "violates check constraint 'zhangsan' of 'Zhangsan' or 'ZHANGSAN'";
    expect(hideQuoted(names, keep)).toBe(names);
    expect(hideQuoted("for key 'Zhang San'", keep)).toBe("for key '***'");
    expect(hideQuoted("Duplicate entry 'Zhangsan' for key 'uk_holder'", keep)).toBe(
      "Duplicate entry '***' for key 'uk_holder'",
    );
  });

  it('hides every value as before without keepIdentifiers', () => {
    expect(hideQuoted("open '/etc/licbridge/seal.pem' for key 'uk_holder'", { backticks: false })).toBe(
      "open '***' for key '***'",
    );
  });

  it('hides a key value in parentheses whole when the value holds parentheses itself', () => {
    // A business is often named with its city or branch in parentheses: the value ended at the
    // first `)`, and the rest of the row's values were shown.
    expect(
      hideQuoted(
        "Cannot insert duplicate key in object 'dbo.T_XKZ'. The duplicate key value is (欧阳食品(北京)有限公司, 欧阳秀英).",
        keep,
      ),
    ).toBe("Cannot insert duplicate key in object 'dbo.T_XKZ'. The duplicate key value is (***).");
    expect(hideQuoted('Key (holder_name)=(欧阳食品 (北京)) already exists.', keep)).toBe(
      'Key (holder_name)=(***) already exists.',
    );
    // Nested deeper, or a `)` that ends no parenthesis opened in the value.
    expect(hideQuoted('The duplicate key value is (甲((乙)丙)丁, 欧阳秀英).', keep)).toBe(
      'The duplicate key value is (***).',
    );
    expect(
      hideQuoted('The duplicate key value is (甲)乙, 欧阳秀英). The statement has been terminated.', keep),
    ).toBe('The duplicate key value is (***). The statement has been terminated.');
    // A `(` never closed: nothing after it can be told from the value, and it is hidden to the end of its line.
    expect(hideQuoted('The duplicate key value is (欧阳(秀英, 1).', keep)).toBe(
      'The duplicate key value is (***',
    );
    // What follows a value as before: the end of what encloses it, a key value of its own, words.
    expect(hideQuoted('match its subject with `(SECURITY=(SSL_SERVER_CERT_DN="CN=db"))` instead', keep)).toBe(
      'match its subject with `(SECURITY=(***))` instead',
    );
    expect(hideQuoted('Key (a, b)=(1, 2) conflicts with existing key (a, b)=(3, 4).', keep)).toBe(
      'Key (a, b)=(***) conflicts with existing key (a, b)=(***).',
    );
  });
});
