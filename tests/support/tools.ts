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
