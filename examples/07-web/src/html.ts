/**
 * HTML from a tagged template that escapes everything it is given: the counterpart of Jinja's autoescape behind
 * Flask's render_template (tutorial 002 §2.2). In html`<p>${text}</p>` the text cannot become markup: `<`, `>`,
 * `&`, `"` and `'` are written as entities, so a post that says <script> shows those characters instead of running.
 * Only what html`` itself made (a SafeHtml) goes in as it is, which is how templates nest. There is no way to pass
 * a raw string through: escaping is the default, and forgetting it is impossible rather than a review finding.
 */
const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Markup that html`` produced, so it is safe to insert into more markup. */
export class SafeHtml {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  toString(): string {
    return this.text;
  }
}

/** Text as HTML that shows it: safe between tags and inside a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => entities[character] ?? character);
}

// A value in a template: nested markup as it is, a list one item after another, nothing for
// undefined, null and false (so `${signedIn && html`…`}` reads naturally), anything else escaped.
function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let markup = strings[0] ?? '';
  values.forEach((value, index) => {
    markup += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(markup);
}
