/**
 * The guided tour (`npm start`, or `npm start -- 01` for one area): plays each area's scenario
 * and prints the conversation under a heading, like a transcript of two terminals.
 */
import { killAllGroups } from '../process-groups.ts';
import { scenarios, selectScenarios } from './scenarios.ts';
import { Scene } from './scene.ts';

const filter = process.argv[2];
const selected = selectScenarios(filter);
if (selected.length === 0) {
  const areas = scenarios.map((scenario) => scenario.area).join(', ');
  console.error(`error: no area matches '${filter}'; the areas are ${areas}`);
  process.exit(2);
}

for (const scenario of selected) {
  console.log(`\n## ${scenario.area}: ${scenario.title}\n`);
  try {
    await scenario.play(new Scene(scenario.area, (line) => console.log(line)));
  } catch (error) {
    console.error(`error: the ${scenario.area} scenario failed: ${(error as Error).message}`);
    process.exitCode = 1;
  } finally {
    await killAllGroups();
  }
}
