// Adds up the suite's JSON reports (one per Node version and per runtime leg) into CI's closing line,
// "N passed, M failed". A run that failed without writing a report, or any other failed
// step, counts as one failure so that the line can never read as a success by omission.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const [directory, stepFailures] = process.argv.slice(2);
let passed = 0;
let failed = 0;
for (const file of readdirSync(directory).sort()) {
  const report = JSON.parse(readFileSync(path.join(directory, file), 'utf8'));
  console.log(`${file}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
  passed += report.numPassedTests;
  failed += report.numFailedTests;
}
if (failed === 0 && Number(stepFailures) > 0) failed = Number(stepFailures);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || Number(stepFailures) > 0 ? 1 : 0);
