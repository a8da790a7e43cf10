/**
 * Finds the line of a value inside JSON text, so a spec error can say `sample.secml.json:12: variants[3]: ...`.
 * A tolerant scanner over the text (not a second parser): it only tracks object keys and array indexes on the way
 * down to the requested path, and returns the line of the deepest part of the path it reached.
 */

export type JsonPath = readonly (string | number)[];

/** 1-based line of the value at `path` (or of its nearest existing ancestor); 1 for the root. */
export function lineOfJsonPath(text: string, path: JsonPath): number {
  const scan = new Scanner(text);
  scan.skipSpace();
  let line = scan.line;
  for (const part of path) {
    const found = typeof part === 'number' ? scan.enterIndex(part) : scan.enterKey(part);
    if (!found) break;
    line = scan.line;
  }
  return line;
}

class Scanner {
  pos = 0;
  line = 1;
  constructor(private readonly text: string) {}

  skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t[this.pos];
      if (c === '\n') this.line++;
      else if (c !== ' ' && c !== '\t' && c !== '\r') break;
      this.pos++;
    }
  }

  /** At an object: moves to the value of `key`; false when absent or not an object. */
  enterKey(key: string): boolean {
    if (this.text[this.pos] !== '{') return false;
    this.pos++;
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') return false;
      const name = this.readString();
      this.skipSpace();
      if (this.text[this.pos] !== ':') return false;
      this.pos++;
      this.skipSpace();
      if (name === key) return true;
      this.skipValue();
      this.skipSpace();
      if (this.text[this.pos] !== ',') return false;
      this.pos++;
    }
  }

  /** At an array: moves to element `index`; false when absent or not an array. */
  enterIndex(index: number): boolean {
    if (this.text[this.pos] !== '[') return false;
    this.pos++;
    for (let i = 0; ; i++) {
      this.skipSpace();
      if (this.text[this.pos] === ']' || this.pos >= this.text.length) return false;
      if (i === index) return true;
      this.skipValue();
      this.skipSpace();
      if (this.text[this.pos] !== ',') return false;
      this.pos++;
    }
  }

  private readString(): string {
    const t = this.text;
    let out = '';
    this.pos++;
    while (this.pos < t.length && t[this.pos] !== '"') {
      if (t[this.pos] === '\\') {
        out += t[this.pos + 1] ?? '';
        this.pos += 2;
      } else {
        if (t[this.pos] === '\n') this.line++;
        out += t[this.pos++];
      }
    }
    this.pos++;
    return out;
  }

  private skipValue(): void {
    const t = this.text;
    const c = t[this.pos];
    if (c === '"') {
      this.readString();
      return;
    }
    if (c === '{' || c === '[') {
      let depth = 0;
      while (this.pos < t.length) {
        const d = t[this.pos];
        if (d === '"') {
          this.readString();
          continue;
        }
        if (d === '\n') this.line++;
        if (d === '{' || d === '[') depth++;
        else if (d === '}' || d === ']') depth--;
        this.pos++;
        if (depth === 0) return;
      }
      return;
    }
    while (this.pos < t.length && !/[,}\]\s]/.test(t[this.pos])) this.pos++;
  }
}

/** Line of the first JSON syntax error in `text` (JSON.parse no longer says where), or undefined when it is valid. */
export function lineOfJsonSyntaxError(text: string): number | undefined {
  let pos = 0;
  const fail = (): never => {
    throw pos;
  };
  const space = () => {
    while (pos < text.length && ' \t\r\n'.includes(text[pos])) pos++;
  };
  const literal = (re: RegExp) => {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) fail();
    pos += m![0].length;
  };
  const value = (): void => {
    space();
    const c = text[pos];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      pos++;
      space();
      if (text[pos] === close) {
        pos++;
        return;
      }
      for (;;) {
        if (c === '{') {
          space();
          if (text[pos] !== '"') fail();
          literal(STRING);
          space();
          if (text[pos++] !== ':') (pos--, fail());
        }
        value();
        space();
        if (text[pos] === ',') pos++;
        else if (text[pos] === close) {
          pos++;
          return;
        } else fail();
      }
    }
    if (c === '"') return literal(STRING);
    literal(SCALAR);
  };
  try {
    value();
    space();
    if (pos < text.length) fail();
    return undefined;
  } catch (at) {
    if (typeof at !== 'number') throw at;
    return text.slice(0, at).split('\n').length;
  }
}

const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const SCALAR = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null/y;
