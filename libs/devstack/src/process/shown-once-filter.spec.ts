import { ShownOnceFilter } from './shown-once-filter';

const ANNOUNCEMENT = [
  '',
  '  XAI Router recovery code (issues a new owner key: POST /x-recover), shown once, store it now:',
  '',
  '    xrc-0123456789abcdefABCDEF',
  '',
];

describe(ShownOnceFilter.name, () => {
  it('withholds the announced secret and hands it over once', () => {
    const filter = new ShownOnceFilter();

    const results = [...ANNOUNCEMENT, '{"level":"info","msg":"next"}'].map((line) =>
      filter.accept(line),
    );

    const kept = results.flatMap((result) => (result.keep === undefined ? [] : [result.keep]));
    expect(kept.join('\n')).not.toContain('xrc-');
    expect(kept).toContain('{"level":"info","msg":"next"}');
    expect(kept.join('\n')).toContain(
      'recovery code (issues a new owner key: POST /x-recover) withheld',
    );
    expect(results.flatMap((result) => (result.shown ? [result.shown] : []))).toEqual([
      {
        what: 'recovery code (issues a new owner key: POST /x-recover)',
        secret: 'xrc-0123456789abcdefABCDEF',
      },
    ]);
  });

  it('keeps every other line as it is', () => {
    const filter = new ShownOnceFilter();
    const lines = ['', 'plain', '  indented', '{"msg":"shown once"}'];

    const kept = lines.map((line) => filter.accept(line).keep);

    expect(kept).toEqual(lines);
  });
});
