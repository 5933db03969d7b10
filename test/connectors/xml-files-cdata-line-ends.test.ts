/**
 * XML 1.0 §2.11: a processor reads every CR LF, and every CR alone, as one LF before it parses,
 * CDATA sections included, so a value reads the same whichever line ends the export tool's
 * platform wrote. A line break at either end of a CDATA section (`<![CDATA[甲⏎]]>` from a Windows
 * tool) was kept as CR LF, or as a lone CR, while the same text escaped or inside the section read
 * with LF: the value changed with the tool's platform and with its choice of CDATA, and each change
 * made a new version. A CR written as a reference (`&#13;`) is a CR, as before.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { firstRowOfRecord } from './xml-fixtures.js';

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

const rowOf = (record: string) => firstRowOfRecord(`<ID>1</ID>${record}`, folders);

describe('xml-files: line ends at the ends of a CDATA section', () => {
  it('reads CR LF and a lone CR at a section end as LF, as inside it', async () => {
    const row = await rowOf('<BZ><![CDATA[甲\r\n乙\r\n]]></BZ><JYFW><![CDATA[\r\n预包装食品\r]]></JYFW>');
    expect(row?.problems).toBeUndefined();
    expect(row?.values).toMatchObject({ BZ: '甲\n乙\n', JYFW: '\n预包装食品\n' });
  });

  it('reads a section written with CR LF as the same text written with LF', async () => {
    const windows = await rowOf('<BZ><![CDATA[\r\n第一行\r\n第二行\r\n]]></BZ>');
    const unix = await rowOf('<BZ><![CDATA[\n第一行\n第二行\n]]></BZ>');
    expect(windows?.values.BZ).toBe(unix?.values.BZ);
  });

  it('keeps a CR written as a reference, in a section or beside one', async () => {
    const row = await rowOf('<BZ>&#13;<![CDATA[甲]]>&#13;&#10;</BZ>');
    expect(row?.values.BZ).toBe('\r甲\r\n');
  });

  it('reads line ends of repeated elements alike', async () => {
    const row = await rowOf('<XM><![CDATA[甲\r\n]]></XM><XM><![CDATA[\r乙]]></XM>');
    expect(row?.values.XM).toBe('["甲\\n","\\n乙"]');
  });
});
