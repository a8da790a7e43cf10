/**
 * Makes an engine's CSV export safe to open in a spreadsheet. Query results hold attacker-written log text, and a cell
 * such as `=HYPERLINK("http://x","y")` would run as a formula in Excel or Sheets. The CSV the engine wrote (DuckDB's
 * COPY, Athena's S3 file) streams through here: a text cell a spreadsheet would read as a formula is rewritten by the
 * shared escaper (`csvCell`: a leading apostrophe, quoted); every other byte is kept, so NULL (empty) stays distinct
 * from '' (`""`), quoting style is unchanged, and a negative number such as -5 stays a number.
 */
import { StringDecoder } from 'node:string_decoder';
import { csvCell, readsAsFormula } from '../csv-cell';

const DELIMITER = /[,\r\n]/g;
/** A field's raw text, or the escaper's guarded form when it is a formula. */
function guardField(raw: string, value: string): string {
  return readsAsFormula(value) ? csvCell(value) : raw;
}

/** Streaming: feed chunks to `write`, then call `end`; each returns the text to write out. */
export class SpreadsheetSafeCsv {
  private readonly decoder = new StringDecoder('utf8');
  /** The start of a field not yet ended by a delimiter. */
  private carry = '';

  write(chunk: Uint8Array | string): string {
    return this.scan(this.carry + (typeof chunk === 'string' ? chunk : this.decoder.write(Buffer.from(chunk))), false);
  }

  end(): string {
    return this.scan(this.carry + this.decoder.end(), true);
  }

  private scan(text: string, final: boolean): string {
    this.carry = '';
    let out = '';
    let i = 0;
    while (i < text.length) {
      let valueEnd: number;
      let value: string | undefined;
      let from = i;
      if (text[i] === '"') {
        // A quoted field ends at a quote not doubled; it may hold delimiters.
        let j = i + 1;
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0 || (q + 1 >= text.length && !final)) {
            this.carry = text.slice(i);
            return out;
          }
          if (text[q + 1] === '"') {
            j = q + 2;
            continue;
          }
          value = text.slice(i + 1, q).replace(/""/g, '"');
          from = q + 1;
          break;
        }
      }
      DELIMITER.lastIndex = from;
      const d = DELIMITER.exec(text);
      if (!d && !final) {
        this.carry = text.slice(i);
        return out;
      }
      valueEnd = d ? d.index : text.length;
      const raw = text.slice(i, valueEnd);
      // Text after a closing quote (not valid CSV) is kept as it is.
      out += valueEnd === from || value === undefined ? guardField(raw, value ?? raw) : raw;
      if (!d) break;
      out += d[0];
      i = valueEnd + 1;
    }
    return out;
  }
}

/** Guards a whole CSV text (tests, small results). */
export function spreadsheetSafeCsv(text: string): string {
  const g = new SpreadsheetSafeCsv();
  return g.write(text) + g.end();
}
