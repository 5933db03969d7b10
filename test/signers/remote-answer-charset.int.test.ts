/**
 * A signing server's answer in another encoding than UTF-8: GBK or GB 18030 as its
 * `Content-Type` names it (a Java server under a Chinese locale), or UTF-16 with a byte order mark
 * (a .NET one). Read as UTF-8 whatever it said, the server's words reached the operator as
 * mojibake, and a UTF-16 answer could not be read at all. Decoded as platform answers are
 * (adapters/tls-http.ts answerText).
 */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { failureAnswering } from './remote-signer-scripted.js';

const TOKEN = 'tok-Zq8vK2mW9xR4nB7p';
const refusal = JSON.stringify({ errCode: '0x01000008', errMsg: '签名密钥不存在' });

describe("a signing server's answer in another encoding", () => {
  it('GBK, as its Content-Type says: the words read as written', async () => {
    const error = await failureAnswering(
      {
        status: 400,
        headers: { 'content-type': 'application/json; charset=GBK' },
        body: iconv.encode(refusal, 'gbk'),
      },
      TOKEN,
    );
    expect(error.message).toMatch(/HTTP 400: 0x01000008 签名密钥不存在$/);
  });

  it('UTF-16 with a byte order mark: the words read as written', async () => {
    const error = await failureAnswering(
      {
        status: 400,
        headers: { 'content-type': 'application/json' },
        body: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(refusal, 'utf16le')]),
      },
      TOKEN,
    );
    expect(error.message).toMatch(/HTTP 400: 0x01000008 签名密钥不存在$/);
  });
});
