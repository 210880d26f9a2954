/**
 * Reads the forms of a login page without a DOM: both providers render plain `<input>` tags,
 * ours through React (which orders attributes as written) and the reference through pug.
 */

/** name → value of every `<input>` in `html` that has both, in page order. */
export function inputValues(html: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const tag of html.match(/<input\b[^>]*>/gi) ?? []) {
    const name = attribute(tag, 'name');
    const value = attribute(tag, 'value');
    if (name !== undefined && value !== undefined && !fields.has(name)) fields.set(name, value);
  }
  return fields;
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}=(?:"([^"]*)"|'([^']*)')`, 'i').exec(tag);
  if (!match) return undefined;
  return decodeEntities(match[1] ?? match[2] ?? '');
}

const entities: Record<string, string> = {
  '&amp;': '&',
  '&quot;': '"',
  '&#x27;': "'",
  '&#39;': "'",
  '&lt;': '<',
  '&gt;': '>',
};

function decodeEntities(text: string): string {
  return text.replace(/&(?:amp|quot|#x27|#39|lt|gt);/g, (entity) => entities[entity] ?? entity);
}

/** The `action` of the first form, resolved against the page's URL. */
export function formAction(html: string, pageUrl: string): string {
  const form = /<form\b[^>]*>/i.exec(html)?.[0];
  const action = form === undefined ? undefined : attribute(form, 'action');
  return new URL(action === undefined || action === '' ? pageUrl : action, pageUrl).toString();
}
