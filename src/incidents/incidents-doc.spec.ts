import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { INCIDENT_EVENTS, INCIDENT_OUTBOX_TYPES, INCIDENT_STATUSES, TRANSITIONS, type Cell } from './incident-transitions.js';

// docs/incidents.md's transition table against the one in code, cell by cell.
const DOC = readFileSync(fileURLToPath(new URL('../../docs/incidents.md', import.meta.url)), 'utf8');
// docs/monitors.md repeats the table for readers of the monitors page.
const MONITORS_DOC = readFileSync(fileURLToPath(new URL('../../docs/monitors.md', import.meta.url)), 'utf8');
const OUTBOX_DOC = readFileSync(fileURLToPath(new URL('../../docs/outbox.md', import.meta.url)), 'utf8');

/** How the doc writes a cell: `→ status; timeline entry; outbox event`, `no-op`, `409` or `–` (cannot happen). */
const docCell = (cell: Cell): string =>
  cell.kind === 'change'
    ? `→ ${cell.to}; ${cell.record ? `\`${cell.record}\`` : '–'}; ${cell.notify ? `\`${cell.notify}\`` : 'quiet'}`
    : cell.kind === 'noop'
      ? 'no-op'
      : cell.kind === 'refused'
        ? '409'
        : '–';

const cells = (line: string) => line.split('|').slice(1, -1).map((c) => c.trim());

describe('docs/incidents.md', () => {
  it.each([
    ['docs/incidents.md', DOC],
    ['docs/monitors.md', MONITORS_DOC],
  ])('%s has the transition table of the code: a column per event, a row per state, every cell the same', (_name, doc) => {
    const lines = doc.split('\n');
    const header = lines.findIndex((line) => line.startsWith('| state \\ event |'));
    expect(header).toBeGreaterThan(-1);
    expect(cells(lines[header]).slice(1)).toEqual(INCIDENT_EVENTS.map((e) => `\`${e}\``));
    const rows = lines.slice(header + 2, header + 2 + INCIDENT_STATUSES.length).map(cells);
    expect(rows.map((row) => row[0])).toEqual(INCIDENT_STATUSES.map((s) => `**${s}**`));
    for (const [i, status] of INCIDENT_STATUSES.entries()) {
      expect(rows[i].slice(1)).toEqual(INCIDENT_EVENTS.map((event) => docCell(TRANSITIONS[status][event])));
    }
  });

  it("explains every cell's note under the table", () => {
    for (const status of INCIDENT_STATUSES) {
      for (const event of INCIDENT_EVENTS) {
        const cell = TRANSITIONS[status][event];
        if (cell.kind === 'change' && cell.note) expect(DOC).toContain(`- ${status} × \`${event}\`: ${cell.note}`);
      }
    }
  });

  it('docs/outbox.md has an example for every incident event type', () => {
    for (const type of INCIDENT_OUTBOX_TYPES) expect(OUTBOX_DOC).toContain(`"event_type": "${type}"`);
  });
});
