/**
 * The generated parts of the examples match their single sources (shared/src/generated.ts):
 * each area's cli.ts is byte for byte shared/src/cli.ts, its tsconfig.json is standalone, and its
 * README's program table is what the headers say. When this fails, run `npm run sync`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generatedFiles, isCurrent } from '@netprog/shared/generated';
import { discoverPrograms, repoRoot } from '@netprog/shared/programs';
import { expect, it } from 'vitest';

it.each(generatedFiles().map((generated) => ({ ...generated, name: path.relative(repoRoot, generated.file) })))(
  '$name is current',
  (generated) => expect(isCurrent(generated), `${generated.name} differs: run npm run sync`).toBe(true),
);

it('every program uses the shared contract and none parses flags or integers by hand', () => {
  for (const program of discoverPrograms()) {
    const source = readFileSync(program.file, 'utf8');
    expect(source, program.relativePath).toMatch(/ from '\.\/cli\.ts';/);
    expect(source, program.relativePath).not.toMatch(/\bparseArgs\b|process\.argv|Number\.isInteger\(Number/);
  }
});

it('every program has a package.json script of its name, which sets its place in the lesson order', () => {
  for (const program of discoverPrograms()) {
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'examples', program.area, 'package.json'), 'utf8'));
    expect(manifest.scripts?.[program.name], program.relativePath).toBe(`tsx src/${program.name}.ts`);
  }
});
