// The shortest start of a statement's first line that may place it, when interpolation changed the rest.
const MIN_PREFIX = 16;

/**
 * Where each statement of up() starts in the migration's file, found by its text, in order: the first match
 * after the previous statement's, from the up() method on. Migrations hold their SQL in template literals, so
 * a statement usually stands in the file as it runs; where escapes or `${…}` changed it, its first line, or
 * the longest start of that line found (at least half of it), places it. undefined: not found, e.g. SQL built
 * at run time.
 */
export function locateStatements(source: string, statements: string[]): (number | undefined)[] {
  let from = Math.max(0, source.search(/\bup\s*\(/));
  return statements.map((text) => {
    const at = find(source, text, from);
    if (at !== undefined) from = at + 1;
    return at;
  });
}

/** The 1-based line of an offset in the file. */
export function lineAt(source: string, offset: number): number {
  let line = 1;
  for (let i = source.indexOf('\n'); i !== -1 && i < offset; i = source.indexOf('\n', i + 1)) line += 1;
  return line;
}

function find(source: string, text: string, from: number): number | undefined {
  const firstLine = text.split('\n')[0];
  for (const candidate of [text, inTemplate(text), firstLine, inTemplate(firstLine)]) {
    const at = source.indexOf(candidate, from);
    if (at !== -1) return at;
  }
  const shortest = Math.max(MIN_PREFIX, Math.ceil(firstLine.length / 2));
  for (let length = firstLine.length - 1; length >= shortest; length -= 1) {
    const at = source.indexOf(firstLine.slice(0, length), from);
    if (at !== -1) return at;
  }
  return undefined;
}

/** The text as a template literal spells it: backslashes, backticks and `${` escaped. */
function inTemplate(text: string): string {
  return text.replace(/[\\`]/g, '\\$&').replace(/\$\{/g, '\\${');
}
