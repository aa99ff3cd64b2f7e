import { z } from 'zod/v4';

import { decodeEntry, parseEntries, parseReadReply } from './stream-entry';

const PingSchema = z.object({ n: z.number().int() });

describe(decodeEntry.name, () => {
  it('returns the validated event', () => {
    const decoded = decodeEntry(PingSchema, ['event', '{"n":1}']);

    expect(decoded).toEqual({ ok: true, event: { n: 1 } });
  });

  it('names the field that failed validation', () => {
    const decoded = decodeEntry(PingSchema, ['event', '{"n":"one"}']);

    expect(decoded.ok).toBe(false);
    expect(!decoded.ok && decoded.reason).toMatch(/^n: /);
  });

  it('refuses, never throws, when a validator throws, and quotes nothing of the event', () => {
    const Throwing = z.custom<{ secret: string }>().superRefine((value) => {
      throw new TypeError(`cannot read ${JSON.stringify(value)}`);
    });

    const decoded = decodeEntry(Throwing, ['event', '{"secret":"sk-live-123"}']);

    expect(decoded).toEqual({
      ok: false,
      reason: 'the event could not be validated (TypeError)',
    });
  });

  it('rejects an entry that is not JSON', () => {
    const decoded = decodeEntry(PingSchema, ['event', '{']);

    expect(decoded).toEqual({ ok: false, reason: 'the event is not valid JSON' });
  });

  it('rejects an entry without an event field', () => {
    const decoded = decodeEntry(PingSchema, ['other', '{"n":1}']);

    expect(decoded).toEqual({ ok: false, reason: 'no "event" field' });
  });
});

describe(parseReadReply.name, () => {
  it('reads the entries of the one stream replied', () => {
    const reply = [
      [
        's',
        [
          ['1-0', ['event', '{}']],
          ['2-0', null],
        ],
      ],
    ];

    const entries = parseReadReply(reply);

    expect(entries).toEqual([
      { id: '1-0', fields: ['event', '{}'] },
      { id: '2-0', fields: null },
    ]);
  });

  it('reads a timed-out read as no entries', () => {
    expect(parseReadReply(null)).toEqual([]);
  });
});

describe(parseEntries.name, () => {
  it('skips items that are not entries', () => {
    expect(parseEntries([['1-0', ['a', 'b']], 'junk', [1, []]])).toEqual([
      { id: '1-0', fields: ['a', 'b'] },
    ]);
  });
});
