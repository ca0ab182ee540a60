/** Whether python3 is on the PATH, for the specs that drive an example with the tutorials' own code. */
import { execaSync } from 'execa';

function findPython(): boolean {
  try {
    return execaSync('python3', ['--version'], { reject: false }).exitCode === 0;
  } catch {
    return false;
  }
}

export const hasPython = findPython();
