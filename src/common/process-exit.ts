/**
 * Resolves once stdout and stderr have handed everything written so far to the OS: process.exit drops what
 * a pipe has not taken yet (a long report read by a slow consumer). A write's callback runs once everything
 * written before it is out, or failed (a closed pipe), so this never waits on a reader that went away.
 */
export function drainOutput(): Promise<void> {
  return Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve)))).then(() => undefined);
}

/** process.exit(code) once the output has drained. */
export async function exitWhenDrained(code: number): Promise<never> {
  await drainOutput();
  return process.exit(code);
}
