/** Every area's scenario, in tour order. Each area adds its own here. */
import { socketScenario } from './scenarios/01-socket.ts';
import { threadsScenario } from './scenarios/02-threads.ts';
import { asyncScenario } from './scenarios/03-async.ts';
import { frameworkScenario } from './scenarios/04-framework.ts';
import { udpScenario } from './scenarios/05-udp.ts';
import { networkScenario } from './scenarios/06-network.ts';
import { webScenario } from './scenarios/07-web.ts';
import type { Scenario } from './scene.ts';

export const scenarios: Scenario[] = [
  socketScenario,
  threadsScenario,
  asyncScenario,
  frameworkScenario,
  udpScenario,
  networkScenario,
  webScenario,
];

/** The scenarios of the area named by number or name ("05", "udp", "05-udp"), or all of them. */
export function selectScenarios(filter: string | undefined): Scenario[] {
  return scenarios.filter((scenario) => {
    const [number, ...name] = scenario.area.split('-');
    return filter === undefined || [scenario.area, number, name.join('-')].includes(filter);
  });
}
