/**
 * The guided tour (`npm start`, or `npm start -- 01` or `npm start -- socket` for one area): plays
 * each area's scenario and prints the conversation under a heading, like a transcript of two
 * terminals, with the programs' real output (real ports, real counts, real retries).
 */
import { killAllGroups } from '../process-groups.ts';
import { OrderedOutput } from './ordered-output.ts';
import { scenarios, selectScenarios } from './scenarios.ts';
import { Scene } from './scene.ts';

const filter = process.argv[2];
const areas = scenarios.map((scenario) => `  ${scenario.area.padEnd(14)} ${scenario.title}`).join('\n');
if (filter === '--help' || filter === '-h') {
  console.log(
    `usage: npm start [-- AREA]\n\nPlays each area's servers and clients, as a transcript. AREA is a number or a name (05, udp).\n\n${areas}`,
  );
  process.exit(0);
}
const selected = selectScenarios(filter);
if (selected.length === 0) {
  console.error(`error: no area matches '${filter}'; the areas are:\n${areas}`);
  process.exit(2);
}

// The areas' scenes share no port (servers take port 0) and no lab, so they play at once; their
// output is printed in area order, as if they had played one after another.
const output = new OrderedOutput((text, stream) => (stream === 'stdout' ? console.log(text) : console.error(text)));
await Promise.all(
  selected.map(async (scenario) => {
    const part = output.part();
    part.print(`\n## ${scenario.area}: ${scenario.title}\n`);
    try {
      await scenario.play(new Scene(scenario.area, (line) => part.print(line)));
    } catch (error) {
      part.print(`error: the ${scenario.area} scenario failed: ${(error as Error).message}`, 'stderr');
      process.exitCode = 1;
    } finally {
      part.finish();
    }
  }),
);
await killAllGroups();
