import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from './toCsv';

describe('toCsv', () => {
  it('writes one row per datapoint with ISO and unix times', () => {
    expect(
      toCsv([
        { t: 1_700_000_000, d: 7 },
        { t: 1_700_000_060.5, d: 8 },
      ]),
    ).toBe(
      'time,unix_time,value\r\n2023-11-14T22:13:20.000Z,1700000000,7\r\n2023-11-14T22:14:20.500Z,1700000060.5,8\r\n',
    );
  });

  it('spreads object values into a column per key', () => {
    expect(
      toCsv([
        { t: 1, d: { a: 1 } },
        { t: 2, d: { a: 2, b: 'x' } },
      ]),
    ).toBe('time,unix_time,a,b\r\n1970-01-01T00:00:01.000Z,1,1,\r\n1970-01-01T00:00:02.000Z,2,2,x\r\n');
  });

  it('adds who wrote a value when another device did', () => {
    expect(toCsv([{ t: 1, d: true, o: 'ann/phone' }])).toBe(
      'time,unix_time,value,sent_by\r\n1970-01-01T00:00:01.000Z,1,true,ann/phone\r\n',
    );
  });

  it('has only the header for no data', () => {
    expect(toCsv([])).toBe('time,unix_time,value\r\n');
  });
});

describe('csvCell', () => {
  it('quotes commas, quotes and line breaks', () => {
    expect(csvCell('a, "b"')).toBe('"a, ""b"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
  });

  it('keeps spreadsheet formulas from running', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('-2 degrees')).toBe("'-2 degrees");
    expect(csvCell(-2)).toBe('-2');
  });

  it('writes nested values as JSON', () => {
    expect(csvCell([1, 2])).toBe('"[1,2]"');
    expect(csvCell(null)).toBe('');
  });
});
