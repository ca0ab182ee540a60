/**
 * Finds the example programs: every `examples/<area>/src/<name>.ts` whose header has a `Run:`
 * line (sibling modules such as a protocol file have none). A program that prints the readiness
 * line through the contract's printListening() is a server. Later areas are discovered without being listed anywhere.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const examplesRoot = path.join(repoRoot, 'examples');

export interface ExampleProgram {
  area: string;
  name: string;
  file: string;
  /** The path as a learner types it from the repo root. */
  relativePath: string;
  isServer: boolean;
}

export function discoverPrograms(): ExampleProgram[] {
  const programs: ExampleProgram[] = [];
  for (const area of readdirSync(examplesRoot).sort()) {
    const sourceDirectory = path.join(examplesRoot, area, 'src');
    let entries: string[];
    try {
      entries = readdirSync(sourceDirectory).sort();
    } catch {
      continue;
    }
    for (const entry of entries.filter((name) => name.endsWith('.ts'))) {
      const file = path.join(sourceDirectory, entry);
      const source = readFileSync(file, 'utf8');
      if (!/^ \* Run: /m.test(source)) continue;
      programs.push({
        area,
        name: entry.replace(/\.ts$/, ''),
        file,
        relativePath: path.relative(repoRoot, file),
        isServer: /\bprintListening\(/.test(source),
      });
    }
  }
  return programs;
}

/** The one file every program shares: the command-line contract. Its copies are generated. */
export const canonicalCli = path.join(repoRoot, 'shared', 'src', 'cli.ts');

/** The file of one program, by area and name, e.g. programFile('01-socket', 'echo-server'). */
export function programFile(area: string, name: string): string {
  return path.join(examplesRoot, area, 'src', `${name}.ts`);
}

/**
 * The Node version an area needs (the `engines` of its package.json, such as ">=22.13" for node:sqlite) when the
 * running Node is older; undefined when this Node will do.
 */
export function nodeNeededBy(area: string): string | undefined {
  const manifest = JSON.parse(readFileSync(path.join(examplesRoot, area, 'package.json'), 'utf8'));
  const wanted = /^>=(\d+)\.(\d+)/.exec(manifest.engines?.node ?? '');
  if (!wanted) return undefined;
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const [wantedMajor, wantedMinor] = [Number(wanted[1]), Number(wanted[2])];
  const older = major < wantedMajor || (major === wantedMajor && minor < wantedMinor);
  return older ? `${wantedMajor}.${wantedMinor}` : undefined;
}
