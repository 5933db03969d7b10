// With a wrong passphrase OpenSSL 3 mostly reports "bad decrypt", but about one passphrase in 128
// decrypts to bytes whose padding happens to check out; the key decoder then refuses them as
// "DECODER routines::unsupported" (ERR_OSSL_UNSUPPORTED). Both mean the passphrase is wrong.
//
// A throwaway P-256 key (made for the tests, used nowhere else), PKCS#8-encrypted with AES-256-CBC
// under `seal-pass`, chosen so that `wrong-0` is such a passphrase. Searching for one at run time
// took a fresh key and a hundred-odd passphrases (one PBKDF2 each), ~1 s of CPU; the encrypted
// bytes fix the salt and IV, so the outcome is the same on every run.
export const DECODER_REFUSED_KEY = `-----BEGIN ENCRYPTED PRIVATE KEY-----
MIHsMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAiYsnXpgr9p6AICCAAw
DAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEOaLOoel4CVfVzvARMDk6goEgZDL
/YFrhZe26pKZHUxe7FCbDWbhmMpK13gl94X8k117AHuxky7Xs4QSyFnwkUFiHcOQ
6F4VSTOWRqdMPeEaqJZKixFhsVj44+5HmrRLJU0JqHPmeOQ3Kwxe2/BrXl3bqoHl
2JsbQ0YLmiKzWFPyDAGUaCdK2lr4tPPKDqx5m4ZprD06HpJKgrsVYyizpeWETXI=
-----END ENCRYPTED PRIVATE KEY-----
`;

/** Its own passphrase. */
export const DECODER_REFUSED_KEY_PASSPHRASE = 'seal-pass';

/** A wrong passphrase whose decryption passes the padding check and reaches the key decoder. */
export const DECODER_REFUSED_PASSPHRASE = 'wrong-0';

/** A wrong passphrase refused as "bad decrypt". */
export const BAD_DECRYPT_PASSPHRASE = 'wrong-1';
