/**
 * A network of hosts on one machine: hosts, switches and a router made of network namespaces, veth
 * cables, Linux bridges and iptables, so the other areas' programs cross real links and fail for
 * the real reasons of tutorial 003 §8.1 (a closed port, a firewall, no route, an absent host).
 * Nothing is added to the machine's own network and no route leads out of the lab. Needs Linux and root.
 * One command with six verbs, it runs to about 130 lines; what the verbs build, break and read back
 * is in its siblings: lab-topologies.ts, lab-faults.ts, lab-status.ts and lab-system.ts.
 *
 * Run:    sudo npx tsx examples/06-network/src/lab.ts up two-hosts
 * Try:    sudo npx tsx examples/06-network/src/lab.ts exec b -- npx tsx examples/01-socket/src/echo-client.ts --host 10.0.1.10 hi
 *         (with `lab exec a -- npx tsx examples/01-socket/src/echo-server.ts --host 0.0.0.0` in another terminal)
 *         sudo npx tsx examples/06-network/src/lab.ts fault a drop tcp:8080, then status, clear a and down
 * Expect: "lab 1 up: two-hosts (a and b on one switch (lan)) in <n> commands", then a line per host:
 *         "a    eth0 10.0.1.10/24 fd06:1::10/64 on lan"
 * Stop:   `lab down` removes every namespace, cable and rule of the lab, even after a killed run
 */
import { spawn } from 'node:child_process';
import * as cli from './cli.ts';
import { clearCommands, FaultError, faultCommands, faultKinds } from './lab-faults.ts';
import { printStatus } from './lab-status.ts';
import { CommandError, inside, iptables, linksUp, namespacesOf, run, takeDown, topologyOf } from './lab-system.ts';
import { buildCommands, namespace, topologies } from './lab-topologies.ts';

const verbs = [
  'up TOPOLOGY      build the lab (topologies: two-hosts, lan-wan, two-lans, chat-room)',
  'down             remove everything the lab made',
  'status           hosts, addresses, routes, firewall rules and faults',
  'exec HOST -- COMMAND...   run a command on HOST',
  ...Object.entries(faultKinds).map(([kind, [takes, does]]) => `fault HOST ${kind} ${takes}   ${does}`),
  "clear HOST       remove HOST's faults",
];
const { lab, show, positionals } = cli.parseFlags(
  {
    name: 'lab',
    about: `Builds a network of hosts on this machine, and breaks it.\n\n  ${verbs.join('\n  ')}`,
    positionals: 'VERB [ARGS...]',
  },
  {
    lab: cli.integer(1, 'which lab: its number is in every name it makes, so labs can run side by side', {
      env: 'LAB',
      min: 1,
      max: 99_999,
    }),
    show: cli.toggle('print each command as it runs, as you would type it'),
  },
);
const [verb, ...args] = positionals;
if (verb === undefined) cli.fail(`say what to do: ${verbs.map((line) => line.split(/\s{2,}/)[0]).join(', ')}`);
if (process.platform !== 'linux') cli.fail('the lab needs Linux: network namespaces are a Linux kernel feature');
if (process.getuid?.() !== 0) {
  cli.fail('the lab needs root to make network namespaces; run it with sudo (06-network/README.md says why)');
}

const present = namespacesOf(lab);
const up = topologyOf(lab, present);
// Every verb but up and down needs a lab that is up, and most a host of it.
function requireUp() {
  if (!up)
    cli.fail(present.length > 0 ? `lab ${lab} is partly built (a killed run?): run lab down` : `lab ${lab} is not up`);
  return up;
}
function hostOf(name: string | undefined) {
  const [, topology] = requireUp();
  if (name === undefined || !(name in topology.hosts)) {
    cli.fail(`no host '${name ?? ''}' in lab ${lab}; its hosts: ${Object.keys(topology.hosts).join(', ')}`);
  }
  return { name, topology };
}
try {
  if (verb === 'up') {
    const [name = ''] = args;
    const topology = topologies[name];
    if (!topology) cli.fail(`no topology '${name}'; the topologies: ${Object.keys(topologies).join(', ')}`);
    if (present.length > 0) cli.fail(`lab ${lab} is already up (${present.join(', ')}); lab down first, or --lab N`);
    const commands = buildCommands(lab, topology, iptables);
    try {
      for (const command of commands) run(command, { show });
    } catch (error) {
      // Nothing half-built stays behind: what was made is taken down before saying why.
      await takeDown(lab, show);
      throw error;
    }
    await linksUp(lab, topology);
    console.log(`lab ${lab} up: ${name} (${topology.about}) in ${commands.length} commands`);
    printStatus(lab, topology, { brief: true });
  } else if (verb === 'down') {
    if (present.length === 0) cli.fail(`lab ${lab} is not up`);
    const { removed, stopped } = await takeDown(lab, show);
    const programs = stopped > 0 ? `stopped ${stopped} program(s) still running on its hosts, ` : '';
    console.log(`lab ${lab} down: ${programs}removed ${removed.join(', ')}`);
  } else if (verb === 'status') {
    const [name, topology] = requireUp();
    console.log(`lab ${lab}: ${name} (${topology.about})`);
    printStatus(lab, topology, { brief: false });
  } else if (verb === 'fault' || verb === 'clear') {
    const { name, topology } = hostOf(args[0]);
    const commands =
      verb === 'fault'
        ? faultCommands(topology, name, args[1] ?? '', args.slice(2), iptables)
        : clearCommands(topology, name, iptables);
    for (const command of commands) {
      try {
        run(inside(lab, name, command), { show });
      } catch (error) {
        // Clearing a host that has no qdisc of its own: tc has nothing to delete, which is fine.
        if (verb === 'clear' && command[0] === 'tc') continue;
        if (command.includes('netem') && /unknown/.test((error as Error).message)) {
          cli.fail(
            `${name}: this kernel has no netem (sch_netem), so no delay; tcp-relay.ts --latency delays TCP without it`,
          );
        }
        throw error;
      }
    }
    console.log(verb === 'fault' ? `${name}: ${args.slice(1).join(' ')}` : `${name}: faults cleared`);
  } else if (verb === 'exec') {
    const { name } = hostOf(args[0]);
    const command = args.slice(1);
    if (command.length === 0) cli.fail('exec needs a command: lab exec HOST -- COMMAND...');
    // The command's output is ours, its exit code too; a signal sent to us is passed on to it.
    const child = spawn('ip', ['netns', 'exec', namespace(lab, name), ...command], { stdio: 'inherit' });
    child.on('error', (error) => cli.fail(`cannot run ${command[0]} on ${name}: ${cli.explain(error)}`));
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
    child.on('exit', (code, signal) => {
      process.exitCode = code ?? 128 + (signal === 'SIGKILL' ? 9 : signal === 'SIGINT' ? 2 : 15);
    });
  } else {
    cli.fail(`no verb '${verb}'; the verbs: up, down, status, exec, fault, clear`);
  }
} catch (error) {
  if (error instanceof CommandError || error instanceof FaultError) cli.fail(error.message);
  throw error;
}
