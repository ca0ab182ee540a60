/**
 * Properties of 07-web's html`` template and CSRF check: any text put into a page comes out as text (no character
 * that could open a tag, close an attribute or start an entity of its own, and it reads back as it was typed);
 * nested markup passes through once, never escaped twice; and a POST whose fetch metadata names another site is
 * refused whatever else it says.
 */
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { crossSiteReason } from '../../../examples/07-web/src/csrf.ts';
import { escapeHtml, html } from '../../../examples/07-web/src/html.ts';

const asText = (markup: string) =>
  markup.replace(
    /&(amp|lt|gt|quot|#39);/g,
    (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name] ?? '',
  );
const anyText = fc.string({
  unit: fc.oneof(
    fc.constantFrom('<', '>', '&', '"', "'", '&amp;', '\u0000'),
    fc.string({ maxLength: 1, unit: 'grapheme' }),
  ),
  maxLength: 60,
});

test.prop([anyText])('text in an element or a quoted attribute stays text, and reads back as typed', (text) => {
  const markup = html`<p title="${text}">${text}</p>`.text;
  const escaped = escapeHtml(text);
  expect(escaped).not.toMatch(/[<>"']/);
  expect(escaped.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toContain('&');
  expect(markup).toBe(`<p title="${escaped}">${escaped}</p>`);
  expect(asText(escaped)).toBe(text);
});

test.prop([anyText, fc.array(anyText, { maxLength: 5 })])(
  'nested markup and lists are escaped exactly once',
  (text, items) => {
    const inner = html`<b>${text}</b>`;
    expect(html`<p>${inner}</p>`.text).toBe(`<p><b>${escapeHtml(text)}</b></p>`);
    expect(html`<ul>${items.map((item) => html`<li>${item}</li>`)}</ul>`.text).toBe(
      `<ul>${items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`,
    );
    expect(html`${items}`.text).toBe(items.map(escapeHtml).join(''));
  },
);

const own = 'https://localhost:4443';
test.prop([
  fc.option(
    fc.webUrl().map((url) => new URL(url).origin),
    { nil: undefined },
  ),
  fc.constantFrom('cross-site', 'same-site'),
])('a POST that Sec-Fetch-Site says came from another site is refused, whatever its Origin', (origin, site) => {
  expect(crossSiteReason({ 'sec-fetch-site': site, origin: origin ?? own }, own)).toBe(`Sec-Fetch-Site: ${site}`);
});

test.prop([fc.webUrl().map((url) => new URL(url).origin)])(
  'without Sec-Fetch-Site, any Origin but the board’s own is refused',
  (origin) => {
    expect(crossSiteReason({ origin }, own)).toBe(origin === own ? undefined : `Origin: ${origin}`);
    expect(crossSiteReason({ origin, 'sec-fetch-site': 'same-origin' }, own)).toBeUndefined();
  },
);
