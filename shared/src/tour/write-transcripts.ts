/** `npm run transcripts [-- 01]`: regenerates the "What you will see" block of each example README. */
import { killAllGroups } from '../process-groups.ts';
import { selectScenarios } from './scenarios.ts';
import { playScene, transcriptBlock, writeReadmeTranscript } from './transcripts.ts';

try {
  for (const scenario of selectScenarios(process.argv[2])) {
    writeReadmeTranscript(scenario.area, transcriptBlock(await playScene(scenario)));
    console.log(`wrote the transcript of ${scenario.area}`);
  }
} finally {
  await killAllGroups();
}
