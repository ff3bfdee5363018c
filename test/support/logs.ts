/** The JSON log lines of a process's output; throws naming the first non-empty line that is not JSON. */
export function logLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON log line: ${line}`);
      }
    });
}

/**
 * The text of a process's JSON log lines (messages, error messages, config problems), one per line, as
 * a human reads them: for asserting on what was said without caring about JSON escaping. Lines that are
 * not JSON (another tool's output) are kept as they are.
 */
export function logText(output: string): string {
  const texts: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') texts.push(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(collect);
  };
  for (const line of output.split('\n')) {
    try {
      collect(JSON.parse(line));
    } catch {
      texts.push(line);
    }
  }
  return texts.join('\n');
}
