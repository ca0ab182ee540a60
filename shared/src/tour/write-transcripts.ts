/** `npm run transcripts [-- 01]`: regenerates the "What you will see" block of each example README. */
import { killAllGroups } from '../process-groups.ts';
import { nodeNeededBy } from '../programs.ts';
import { selectScenarios } from './scenarios.ts';
import { playScene, transcriptBlock, writeReadmeTranscript } from './transcripts.ts';

try {
  for (const scenario of selectScenarios(process.argv[2])) {
    // An area that needs a newer Node (07-web) is shown as it runs there, so its transcript is written there.
    const needs = nodeNeededBy(scenario.area);
    if (needs) {
      console.log(
        `kept the transcript of ${scenario.area}: it needs Node ${needs}; try npx -p node@24 -- npm run transcripts`,
      );
      continue;
    }
    writeReadmeTranscript(scenario.area, transcriptBlock(await playScene(scenario)));
    console.log(`wrote the transcript of ${scenario.area}`);
  }
} finally {
  await killAllGroups();
}
