import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { Registry } from 'prom-client';
import { SCRAPE_READ_TIMEOUT_MS, ScrapeGauges, type Sample } from './scrape-gauges.js';

function setup() {
  const registry = new Registry();
  const logged: string[] = [];
  const gauges = new ScrapeGauges(registry, 'test_', { log: (m) => logged.push(`log ${m}`), warn: (m) => logged.push(`warn ${m}`) });
  const values = async () => (await registry.getMetricsAsJSON()).flatMap((m) => m.values.map((v) => `${m.name}${JSON.stringify(v.labels)} ${v.value}`)).sort();
  return { gauges, logged, values };
}

describe('ScrapeGauges', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('replaces a gauge\'s samples at each read: a label that is gone is not reported stale', async () => {
    const { gauges, values } = setup();
    let samples: Sample<'task'>[] = [{ labels: { task: 'a' }, value: 1 }, { labels: { task: 'b' }, value: 2 }];
    gauges.add({ name: 'age', help: 'h', labelNames: ['task'], read: async () => samples });
    await gauges.read();
    expect(await values()).toEqual(['test_age{"task":"a"} 1', 'test_age{"task":"b"} 2', 'test_scrape_gauge_success{"gauge":"age"} 1']);
    samples = [{ labels: { task: 'b' }, value: 3 }];
    await gauges.read();
    expect(await values()).toEqual(['test_age{"task":"b"} 3', 'test_scrape_gauge_success{"gauge":"age"} 1']);
  });

  it('a failing read leaves its gauge empty and marks it, without failing the others; logged once per change', async () => {
    const { gauges, logged, values } = setup();
    let fail = true;
    gauges.add({ name: 'flaky', help: 'h', read: async () => (fail ? Promise.reject(new Error('connect ECONNREFUSED')) : [{ value: 7 }]) });
    gauges.add({ name: 'steady', help: 'h', read: async () => [{ value: 1 }] });
    await gauges.read();
    await gauges.read();
    expect(await values()).toEqual(['test_scrape_gauge_success{"gauge":"flaky"} 0', 'test_scrape_gauge_success{"gauge":"steady"} 1', 'test_steady{} 1']);
    fail = false;
    await gauges.read();
    expect(await values()).toContain('test_flaky{} 7');
    expect(logged).toEqual(['warn metrics: could not read flaky: connect ECONNREFUSED', 'log metrics: flaky can be read again']);
  });

  it('a read that hangs is given up after SCRAPE_READ_TIMEOUT_MS', async () => {
    jest.useFakeTimers();
    const { gauges, values } = setup();
    gauges.add({ name: 'hung', help: 'h', read: () => new Promise<Sample<string>[]>(() => undefined) });
    const reading = gauges.read();
    await jest.advanceTimersByTimeAsync(SCRAPE_READ_TIMEOUT_MS);
    await reading;
    expect(await values()).toEqual(['test_scrape_gauge_success{"gauge":"hung"} 0']);
  });

  it('scrapes that arrive together share one read', async () => {
    const { gauges } = setup();
    let reads = 0;
    gauges.add({ name: 'once', help: 'h', read: async () => [{ value: ++reads }] });
    await Promise.all([gauges.read(), gauges.read(), gauges.read()]);
    expect(reads).toBe(1);
  });
});
