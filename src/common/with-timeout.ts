class TimeoutError extends Error {
  readonly code = 'TIMEOUT';
}

/** `work`, or a TIMEOUT error after `ms`: a probe or a scrape must answer even while the database hangs. */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
