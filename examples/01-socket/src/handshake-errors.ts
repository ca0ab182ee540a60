/**
 * Why a TLS client refused a server, or a server refused it, in words a person can act on. The codes come from
 * OpenSSL (through Node; BoringSSL through Bun) and from Node's own name check; tls-echo-client.ts prints one of these
 * in its error line.
 */
export function refusal(code: string | undefined, { ca, name }: { ca: string; name: string }): string | undefined {
  const why: Record<string, string> = {
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: `its certificate is not signed by the CA in ${ca}`,
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: `its certificate is not signed by the CA in ${ca}`,
    SELF_SIGNED_CERT_IN_CHAIN: `its certificate is not signed by the CA in ${ca}`,
    DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is self-signed',
    CERT_HAS_EXPIRED: 'its certificate has expired',
    CERT_NOT_YET_VALID: 'its certificate is not valid yet',
    ERR_TLS_CERT_ALTNAME_INVALID: `its certificate is not valid for ${name}`,
    ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: 'it requires a client certificate (--cert and --key)',
    // The same alert as BoringSSL names it (Bun's TLS library).
    ERR_SSL_TLSV1_ALERT_CERTIFICATE_REQUIRED: 'it requires a client certificate (--cert and --key)',
    ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: 'it did not accept our client certificate',
    ERR_SSL_WRONG_VERSION_NUMBER: 'it does not speak TLS on this port',
    ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: 'no TLS version in common (this client speaks TLS 1.2 and 1.3)',
  };
  return code === undefined ? undefined : why[code];
}
