/**
 * Faults as services other than our simulator write them. WS-Security stacks (WSS4J in CXF,
 * Metro, WCF) refuse credentials with the fault codes of WSS 1.0 §12 (`wsse:FailedAuthentication`,
 * `wsse:InvalidSecurity`, …), not with `Client.Authentication`; a SOAP 1.2 service writes
 * `Code/Value` (`Sender`, `Receiver`) with `Subcode`s and `Reason/Text` instead of `faultcode` and
 * `faultstring`. Read as they were, a refused password was a whole-request refusal retried until
 * the job died, and a busy SOAP 1.2 service was a refusal with an unreadable code.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCodes, type LicbridgeError } from '../../core/errors.js';
import { thrownAttemptReason } from '../../pipelines/stages/deliver-attempt-reasons.js';
import { deliveryItem, HOLDER_ID, HOLDER_NAME } from './license-fixture.js';
import { startScriptedServer } from './scripted-server.js';
import { soapTarget } from './soap-stand-in.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';

const soap11Fault = (code: string, message: string): string =>
  '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault>' +
  `<faultcode xmlns:ns1="${WSSE}">${code}</faultcode><faultstring>${message}</faultstring>` +
  '</soap:Fault></soap:Body></soap:Envelope>';

const soap12Fault = (value: string, subcodes: string[], text: string, detail = ''): string => {
  const sub = subcodes.reduceRight(
    (inner, s) => `<env:Subcode><env:Value>${s}</env:Value>${inner}</env:Subcode>`,
    '',
  );
  return (
    '<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><env:Fault>' +
    `<env:Code><env:Value>${value}</env:Value>${sub}</env:Code>` +
    `<env:Reason><env:Text xml:lang="zh">${text}</env:Text><env:Text xml:lang="en">${text}</env:Text></env:Reason>` +
    detail +
    '</env:Fault></env:Body></env:Envelope>'
  );
};

async function failureOf(status: number, body: string, contentType = 'text/xml; charset=utf-8') {
  const server = await startScriptedServer(() => ({
    status,
    headers: { 'content-type': contentType },
    body,
  }));
  closers.push(() => server.close());
  const target = soapTarget(server.url, { username: 'district', password: 'wrong' });
  closers.push(() => target.close());
  try {
    await target.deliver([deliveryItem(1, { target: 'city' })]);
  } catch (e) {
    return e as LicbridgeError;
  }
  throw new Error('expected the delivery to fail');
}

describe('a WS-Security fault (WSS 1.0 §12)', () => {
  it.each([
    'ns1:FailedAuthentication',
    'ns1:InvalidSecurity',
    'ns1:InvalidSecurityToken',
    'ns1:MessageExpired',
  ])('%s is refused credentials, not a whole-request refusal', async (code) => {
    const err = await failureOf(500, soap11Fault(code, `${HOLDER_NAME} 认证失败`));
    expect(err).toMatchObject({ code: ErrorCodes.TARGET_AUTH, retryable: false });
    expect(err.message).toContain(code.replace('ns1:', ''));
    expect(err.message).not.toContain(HOLDER_NAME);
  });
});

describe('a SOAP 1.2 fault', () => {
  it('Receiver is a service that may answer later: unreachable, retried', async () => {
    const err = await failureOf(
      500,
      soap12Fault('env:Receiver', ['m:Busy'], `Busy: ${HOLDER_ID}`),
      'application/soap+xml; charset=utf-8',
    );
    expect(err).toMatchObject({ code: ErrorCodes.TARGET_UNREACHABLE, retryable: true });
    expect(err.message).toContain('SOAP fault Receiver.Busy');
    expect(err.message).not.toContain(HOLDER_ID);
  });

  it('Sender refuses the request: rejected, retried with backoff', async () => {
    const err = await failureOf(400, soap12Fault('env:Sender', ['m:Validation'], 'Validation: bad'));
    expect(err).toMatchObject({ code: ErrorCodes.TARGET_REJECTED, retryable: true });
    expect(err.message).toContain('SOAP fault Sender.Validation: Validation');
  });

  it('Detail/retryable decides over the code, as detail/retryable does in SOAP 1.1', async () => {
    const err = await failureOf(
      400,
      soap12Fault(
        'env:Sender',
        ['m:Locked'],
        'Locked: try later',
        '<env:Detail><m:retryable xmlns:m="urn:m">true</m:retryable></env:Detail>',
      ),
    );
    expect(err).toMatchObject({ code: ErrorCodes.TARGET_UNREACHABLE, retryable: true });
    expect(err.message).toContain('SOAP fault Sender.Locked');
  });

  it('Sender with a WS-Security subcode is refused credentials', async () => {
    const err = await failureOf(
      500,
      soap12Fault(
        'env:Sender',
        ['wsse:FailedAuthentication'],
        'The security token could not be authenticated',
      ),
    );
    expect(err).toMatchObject({ code: ErrorCodes.TARGET_AUTH, retryable: false });
    expect(err.message).toContain('Sender.FailedAuthentication');
  });
});

describe('a fault answered with HTTP 401 or 403', () => {
  // The same status without a fault (an IIS or proxy page) is refused credentials: so is it with
  // one, whatever code the service gives it; retried as a whole-request refusal, it passed no attempt.
  it.each([401, 403])('%s with a Client fault is refused credentials, not retried', async (status) => {
    const err = await failureOf(status, soap11Fault('soap:Client.AccessDenied', `${HOLDER_NAME} denied`));
    expect(err).toMatchObject({ code: ErrorCodes.TARGET_AUTH, retryable: false });
    expect(err.message).toContain('SOAP fault Client.AccessDenied');
    expect(err.message).not.toContain(HOLDER_NAME);
  });
});

describe('a fault answered with HTTP 200', () => {
  // A service (or the gateway in front of it) that answers every request 200, faults too: the
  // attempt's kind is no HTTP status, which `http-200` said of a send that failed. Nor is it read
  // from the fault's words (`Server.Timeout` is the service's own token, not a timeout seen here).
  it.each([
    ['soap:Server.Busy', 'retried'],
    ['soap:Server.Timeout', 'retried'],
  ])('%s is other, %s', async (code) => {
    const err = await failureOf(200, soap11Fault(code, 'busy'));
    expect(err).toMatchObject({ code: ErrorCodes.TARGET_UNREACHABLE, retryable: true });
    expect(thrownAttemptReason(err)).toBe('other');
  });

  it('with a 500, its status still says it', async () => {
    const err = await failureOf(500, soap11Fault('soap:Server.Busy', 'busy'));
    expect(thrownAttemptReason(err)).toBe('http-500');
  });
});
