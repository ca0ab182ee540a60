/** Every area's scenario, in tour order. Each area adds its own here. */
import { socketScenario } from './scenarios/01-socket.ts';
import { threadsScenario } from './scenarios/02-threads.ts';
import { asyncScenario } from './scenarios/03-async.ts';
import { frameworkScenario } from './scenarios/04-framework.ts';
import { udpScenario } from './scenarios/05-udp.ts';
import type { Scenario } from './scene.ts';

export const scenarios: Scenario[] = [
  socketScenario,
  threadsScenario,
  asyncScenario,
  frameworkScenario,
  udpScenario,
];

/** The scenarios whose area starts with `filter` ("01", "01-socket"), or all of them. */
export function selectScenarios(filter: string | undefined): Scenario[] {
  return scenarios.filter((scenario) => filter === undefined || scenario.area.startsWith(filter));
}
