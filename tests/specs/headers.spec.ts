/**
 * Each program's header promises what a run prints: every quoted piece of its Expect and Stop lines must be
 * printed, on one line, somewhere in its area's transcript (the README block the tour writes and the
 * transcript spec keeps current). Placeholders have one style, `<word>` (`<n>`, `<port>`, `<pid>`,
 * `<sha256>` …), and stand for any text on that line; nothing else is a wildcard.
 */
import { readFileSync } from 'node:fs';
import { discoverPrograms } from '@netprog/shared/programs';
import { readmeTranscript } from '@netprog/shared/tour/transcripts';
import { describe, expect, it } from 'vitest';

/** What a header says a run prints: its Expect and Stop lines, the last in every header. */
function expectText(source: string): string {
  const header = source.slice(0, source.indexOf('*/'));
  return header
    .slice(header.indexOf(' * Expect:'))
    .split('\n')
    .map((line) => line.replace(/^ \*\s*/, ''))
    .join(' ');
}

/** Quoted pieces: a closing quote is followed by a space, punctuation or the end (so `{"a":1}` stays whole). */
function quotes(text: string): string[] {
  return [...text.matchAll(/"(.+?)"(?=[\s,;.)]|:\s|$)/g)].map((match) => match[1] ?? '');
}

function asPattern(quote: string): RegExp {
  const parts = quote.split(/<[\w -]+>/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(parts.join('.+?'));
}

/** What is wrong with a header against a transcript: nothing quoted, quotes never printed, other placeholders. */
function brokenPromises(source: string, transcript: string): string[] {
  const text = expectText(source);
  const found = quotes(text);
  const printed = transcript.split('\n');
  return [
    ...(found.length === 0 ? [`Expect quotes nothing: ${text}`] : []),
    ...found
      .filter((quote) => !printed.some((line) => asPattern(quote).test(line)))
      .map((q) => `never printed: "${q}"`),
    ...(/…|\.\.\.|\bN\b/.test(text) ? ['placeholders are <word>, not N, … or ...'] : []),
  ];
}

const programs = discoverPrograms().map((program) => ({ ...program, label: program.relativePath }));

it.each(programs)('$label: every quote in Expect is in its transcript', (program) => {
  const source = readFileSync(program.file, 'utf8');
  expect(brokenPromises(source, readmeTranscript(program.area) ?? '')).toEqual([]);
});

describe('the check can fail', () => {
  const transcript = 'tls-echo-client tls: TLSv1.3, TLS_AES_256_GCM_SHA384, 127.0.0.1 verified by certs/ca.crt';
  const header = (expectLine: string) => `/**\n * Run:    x\n * Expect: ${expectLine}\n * Stop:   y\n */\n`;

  it('accepts a quote with placeholders that the transcript printed', () => {
    expect(brokenPromises(header('"tls: <version>, <cipher>, 127.0.0.1 verified by <ca>"'), transcript)).toEqual([]);
  });

  it('rejects the promise tls-echo-client once made, a name a default run does not print', () => {
    expect(brokenPromises(header('"tls: TLSv1.3, <cipher>, localhost verified by certs/ca.crt"'), transcript)).toEqual([
      'never printed: "tls: TLSv1.3, <cipher>, localhost verified by certs/ca.crt"',
    ]);
  });

  it('rejects a header that quotes nothing, and one with another placeholder style', () => {
    expect(brokenPromises(header('a line about TLS'), transcript)).toEqual([
      expect.stringMatching(/^Expect quotes nothing: Expect: a line about TLS/),
    ]);
    expect(brokenPromises(header('"tls: …" after N tries'), transcript)).toEqual([
      'never printed: "tls: …"',
      'placeholders are <word>, not N, … or ...',
    ]);
  });
});
