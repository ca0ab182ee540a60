/**
 * What udp-server.ts logs while it serves. A log line per datagram would cost more than the echo itself under load
 * (writing to a terminal is slow), and a flood would flood the log too. So by default only a sender's first datagram
 * is logged (senders are remembered up to a bound, oldest forgotten first), plus a summary line while traffic flows;
 * --verbose logs every datagram.
 */
const maxKnownSenders = 10_000;

export function datagramLog({ verbose, summaryInterval }: { verbose: boolean; summaryInterval: number }) {
  const knownSenders = new Set<string>();
  let sinceSummary = { datagrams: 0, bytes: 0 };
  const summaries = setInterval(() => {
    if (sinceSummary.datagrams === 0) return;
    console.log(`last ${summaryInterval} ms: ${sinceSummary.datagrams} datagrams, ${sinceSummary.bytes} bytes`);
    sinceSummary = { datagrams: 0, bytes: 0 };
  }, summaryInterval).unref();
  return {
    datagram(sender: string, bytes: number): void {
      sinceSummary.datagrams++;
      sinceSummary.bytes += bytes;
      if (verbose) console.log(`from ${sender}: ${bytes} bytes`);
      if (verbose || knownSenders.has(sender)) return;
      if (knownSenders.size === maxKnownSenders) knownSenders.delete(knownSenders.values().next().value as string);
      knownSenders.add(sender);
      console.log(`from ${sender}: ${bytes} bytes (first datagram from this sender)`);
    },
    stop: () => clearInterval(summaries),
  };
}
