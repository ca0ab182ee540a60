/**
 * Standard tools the specs use when the machine has them: python3 (to drive the examples with the
 * tutorials' own code), curl, openssl, and OpenBSD netcat (`nc -N`), to show the examples speak plain protocols.
 */
import { execaSync } from 'execa';

function runs(command: string, args: string[]): boolean {
  try {
    return execaSync(command, args, { reject: false, timeout: 5000 }).exitCode === 0;
  } catch {
    return false;
  }
}

export const hasPython = runs('python3', ['--version']);
export const hasCurl = runs('curl', ['--version']);
export const hasOpenssl = runs('openssl', ['version']);
// -N (shut down the socket after stdin's EOF) is what makes nc half-close like echo-client.
export const hasNetcat = runs('nc', ['-h']) && execaSync('nc', ['-h'], { reject: false }).stderr.includes('-N');

/**
 * Chromium for the browser specs: $CHROMIUM_PATH, or Debian's `chromium` on the PATH. In CI it
 * must be there (`.ci/run` installs it), so there its absence fails the browser specs with the
 * reason; on a developer's machine without it they are skipped, with the same reason.
 */
export const chromiumPath =
  process.env.CHROMIUM_PATH ??
  (runs('chromium', ['--version']) ? execaSync('sh', ['-c', 'command -v chromium']).stdout.trim() : undefined);
export const noChromium = 'no Chromium: install it (Debian/Ubuntu: apt install chromium) or set CHROMIUM_PATH';

/** NSS's certutil, to make a browser trust the development CA (07-web's browser spec); in CI it must be there. */
export const hasCertutil = runs('sh', ['-c', 'command -v certutil']);
export const noCertutil =
  'no certutil to make Chromium trust the development CA (Debian/Ubuntu: apt install libnss3-tools)';

/** util-linux's `script`, which gives a program a pseudo-terminal (the terminal specs); in CI it must be there. */
export const hasScript = runs('script', ['--version']);
export const noScript = "no util-linux 'script' to give game-client a terminal (Debian/Ubuntu: apt install bsdutils)";

/** Debian's redis-server and HAProxy, for the chat room across nodes; in CI they must be there. */
export const hasRedis = runs('redis-server', ['--version']);
export const noRedis = 'no redis-server for the chat room across nodes (Debian/Ubuntu: apt install redis-server)';
export const hasHaproxy = runs('haproxy', ['-v']);
export const noHaproxy = 'no haproxy for the chat room behind a balancer (Debian/Ubuntu: apt install haproxy)';

/** wrk, the HTTP load generator of `npm run bench` (autocannon stands in without it); CI installs it. */
export const hasWrk = runs('sh', ['-c', 'command -v wrk']);

/** testssl.sh, the outside grader of the TLS servers (Debian's package installs it as `testssl`); CI installs it. */
export const hasTestssl = runs('sh', ['-c', 'command -v testssl']);
export const noTestssl = 'no testssl to grade the TLS servers (Debian/Ubuntu: apt install testssl.sh)';
