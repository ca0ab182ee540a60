/**
 * The heartbeat datagram shared by heartbeat-agent.ts and heartbeat-monitor.ts: one line of text,
 * "HEARTBEAT <name> <n>\n", where the name says which agent and n counts its heartbeats. A datagram
 * arrives whole or not at all, so no framing is needed; but anyone can send anything to a UDP port,
 * so the monitor accepts only an exact, short heartbeat and ignores everything else.
 */

/** 1 to 64 of A-Z a-z 0-9 . _ -: safe to print and to use as a key. */
export const agentName = /^[A-Za-z0-9._-]{1,64}$/;
export const maxHeartbeatBytes = 128;

export function formatHeartbeat(name: string, count: number): string {
  return `HEARTBEAT ${name} ${count}\n`;
}

/** The heartbeat a datagram carries, or undefined when it is anything else. */
export function parseHeartbeat(datagram: Buffer): { name: string; count: number } | undefined {
  if (datagram.length > maxHeartbeatBytes) return undefined;
  const match = /^HEARTBEAT ([A-Za-z0-9._-]{1,64}) (\d{1,15})\n?$/.exec(datagram.toString('latin1'));
  if (!match) return undefined;
  return { name: match[1] ?? '', count: Number(match[2]) };
}
