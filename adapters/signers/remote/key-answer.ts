/**
 * The public key (and certificate) a signing server answers at open(), as the protocol asks for
 * them (PEM) and as servers write them. OpenSSL reads a PEM block only with its BEGIN line at the
 * start of a line and its body in lines: a Java server joining the lines (`-----BEGIN PUBLIC
 * KEY-----MFkw…-----END PUBLIC KEY-----`), or one indenting the block, had a key that was one
 * refused as "not an SM2 public key" (its certificate "not a valid X.509 certificate"). Such a block is rewrapped; its
 * bytes are the same key or certificate, read and checked as ever.
 */

/** One PEM block, with anything but line breaks of 64 characters around and in it. */
const LOOSE_PEM = /^\s*-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\s]*)-----END \1-----\s*$/;

/** `text` as OpenSSL reads a PEM block, when it is one written loosely; otherwise `text` as it is. */
export function keyAnswerPem(text: string): string {
  const m = LOOSE_PEM.exec(text);
  if (!m) return text;
  const label = m[1] as string;
  const body = (m[2] as string).replace(/\s+/g, '');
  return `-----BEGIN ${label}-----\n${body.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}

/**
 * What a key answer that is not PEM is, as the end of "the server's key is not an SM2 public key":
 * a server passing on what a device's interface gives (GM/T 0018's ECCrefPublicKey) answers the
 * bare point in hex. Refused all the same, as the protocol's form is SPKI PEM; '' for anything else.
 * Never quotes the text.
 */
export function keyAnswerForm(text: string): string {
  const hex = /^\s*(?:0x)?([0-9a-fA-F]+)\s*$/.exec(text)?.[1];
  if (hex === undefined) return '';
  const asked = 'the protocol asks for SPKI PEM (`-----BEGIN PUBLIC KEY-----`)';
  if (hex.length === 130 && hex.startsWith('04')) {
    return `: it is the point in hex (04 ‖ X ‖ Y), 65 bytes; ${asked}`;
  }
  if (hex.length === 66 && /^0[23]/.test(hex)) {
    return `: it is the compressed point in hex (02 or 03 ‖ X), 33 bytes; ${asked}`;
  }
  return `: it is ${hex.length % 2 === 0 ? hex.length / 2 : 'an odd count of'} bytes in hex; ${asked}`;
}
