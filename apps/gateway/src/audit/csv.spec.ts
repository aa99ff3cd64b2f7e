import { csvHeader, csvLine, csvRow } from './csv';

describe('csvLine', () => {
  it('quotes fields with commas, quotes and line breaks, and ends with CRLF', () => {
    const line = csvLine(['plain', 'a,b', 'say "hi"', 'two\nlines', 42, true]);

    expect(line).toBe('plain,"a,b","say ""hi""","two\nlines",42,true\r\n');
  });

  it('defuses text a spreadsheet would run as a formula, but not numbers', () => {
    const line = csvLine(['=HYPERLINK("x")', '+1', '-model', '@me', -5]);

    expect(line).toBe(`"'=HYPERLINK(""x"")",'+1,'-model,'@me,-5\r\n`);
  });
});

describe('csvRow', () => {
  it('reads each column from the row, under its header', () => {
    const columns = [
      ['model', (row: { m: string; n: number }) => row.m],
      ['requests', (row: { m: string; n: number }) => row.n],
    ] as const;

    const text = csvHeader(columns) + csvRow(columns, { m: 'gpt-4o', n: 3 });

    expect(text).toBe('model,requests\r\ngpt-4o,3\r\n');
  });
});
