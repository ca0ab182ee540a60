/**
 * `npm run sync`: writes the generated parts of the examples from their single sources. Today that
 * is the command-line contract: shared/src/cli.ts copied, byte for byte, beside each area's programs
 * as examples/<area>/src/cli.ts, so every example folder can be copied out and still run.
 * The cli-copies spec fails when a copy differs; `npm run sync -- --check` says the same here.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { canonicalCli, cliCopies } from './programs.ts';

const check = process.argv.includes('--check');
const canonical = readFileSync(canonicalCli, 'utf8');
let stale = 0;
for (const copy of cliCopies()) {
  let current = '';
  try {
    current = readFileSync(copy, 'utf8');
  } catch {}
  if (current === canonical) continue;
  stale++;
  if (check) console.error(`stale: ${copy}`);
  else {
    writeFileSync(copy, canonical);
    console.log(`wrote ${copy}`);
  }
}
if (check && stale > 0) process.exit(1);
