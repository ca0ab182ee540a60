/**
 * Why a fetch failed, in one line a person can act on (http-client.ts prints it): a timeout, an answer that is not
 * HTTP, a TLS refusal, or what the socket said. fetch reports a network failure as TypeError("fetch failed") with the
 * reason in `cause`.
 */
import * as cli from './cli.ts';

export function describeFetchError(
  error: Error,
  { host, timeoutMs, withCa }: { host: string; timeoutMs: number; withCa: boolean },
): string {
  if (error.name === 'TimeoutError') return `timed out after ${timeoutMs} ms waiting for ${host}`;
  const cause = (error.cause ?? error) as NodeJS.ErrnoException;
  const code = cause.code ?? '';
  // The HTTP parser's complaint is named differently across Node versions and runtimes (Bun: Malformed_HTTP_Response).
  if (
    code.startsWith('HPE_') ||
    cause.name === 'HTTPParserError' ||
    /HTTP\/1\.1 protocol|parse|malformed/i.test(cause.message)
  ) {
    return `bad response from ${host}: ${cause.message}`;
  }
  // TLS 1.0 and 1.1 are refused (the client's minVersion), as every server here refuses them.
  if (/PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL/.test(code)) {
    return `${host}: refused: no TLS version in common (this client speaks TLS 1.2 and 1.3)`;
  }
  // Verification failures: the certificate is unsigned by a trusted CA, expired, or for another name.
  if (/CERT|SELF_SIGNED|ALTNAME|VERIFY|ISSUER/.test(code)) {
    return `${host}: refused: ${cli.explain(cause)}${withCa ? '' : '; give its CA with --ca'}`;
  }
  return `${host}: ${code.startsWith('UND_ERR') ? cause.message : cli.explain(cause)}`;
}
