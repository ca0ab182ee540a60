/**
 * `npm run sync`: writes the generated files of the examples (see generated.ts): each area's copy
 * of cli.ts, its standalone tsconfig.json and the program table of its README.
 * `npm run sync -- --check` only lists what is out of date, and exits 1 if anything is.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { generatedFiles, isCurrent } from './generated.ts';
import { repoRoot } from './programs.ts';

const check = process.argv.includes('--check');
const stale = generatedFiles().filter((generated) => !isCurrent(generated));
for (const generated of stale) {
  const shown = path.relative(repoRoot, generated.file);
  if (check) {
    console.error(`out of date: ${shown}`);
    continue;
  }
  const content = generated.json ? `${JSON.stringify(JSON.parse(generated.content), null, 2)}\n` : generated.content;
  writeFileSync(generated.file, content);
  console.log(`wrote ${shown}`);
}
if (check && stale.length > 0) process.exit(1);
