/**
 * A reader for the protocol-buffer text format, as far as the cel-spec "simple" test files use it: fields
 * `name: scalar`, `name: { … }` / `name { … }` (a message), `# comments`, double- or single-quoted strings
 * with C escapes (octal and \x bytes are UTF-8 bytes) and adjacent strings concatenated, numbers (kept as
 * their text, so that int64 values stay exact), `inf`/`nan` and enum identifiers.
 *
 * Every field is collected as an array (a repeated or a singular field alike): `msg.test` is the list of tests.
 */

export type TextScalar = { kind: 'string'; value: string } | { kind: 'number'; text: string } | { kind: 'ident'; text: string };
export type TextValue = TextScalar | TextMessage;
export interface TextMessage {
  kind: 'message';
  fields: Map<string, TextValue[]>;
}

class Reader {
  private i = 0;
  constructor(private readonly src: string) {}

  private fail(what: string): never {
    const line = this.src.slice(0, this.i).split('\n').length;
    throw new Error(`textproto: ${what} at line ${line}`);
  }

  private skip(): void {
    for (;;) {
      while (this.i < this.src.length && /\s/.test(this.src[this.i]!)) this.i++;
      if (this.src[this.i] === '#') {
        while (this.i < this.src.length && this.src[this.i] !== '\n') this.i++;
      } else return;
    }
  }

  /** The fields up to `}` (or the end of the file at the top level). */
  message(top: boolean): TextMessage {
    const fields = new Map<string, TextValue[]>();
    for (;;) {
      this.skip();
      if (this.i >= this.src.length) {
        if (!top) this.fail('unexpected end');
        break;
      }
      if (this.src[this.i] === '}') {
        if (top) this.fail('unexpected }');
        this.i++;
        break;
      }
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.src.slice(this.i))?.[0] ?? this.fail('field name expected');
      this.i += name.length;
      this.skip();
      let colon = false;
      if (this.src[this.i] === ':') {
        colon = true;
        this.i++;
        this.skip();
      }
      let value: TextValue;
      if (this.src[this.i] === '{' || this.src[this.i] === '<') {
        this.i++;
        value = this.message(false);
      } else {
        if (!colon) this.fail(`':' expected after ${name}`);
        value = this.scalar();
      }
      const list = fields.get(name) ?? [];
      list.push(value);
      fields.set(name, list);
      this.skip();
      if (this.src[this.i] === ',' || this.src[this.i] === ';') this.i++;
    }
    return { kind: 'message', fields };
  }

  private scalar(): TextScalar {
    const c = this.src[this.i];
    if (c === '"' || c === "'") {
      const bytes: number[] = [];
      while (this.src[this.i] === '"' || this.src[this.i] === "'") {
        bytes.push(...this.quoted());
        this.skip();
      }
      return { kind: 'string', value: new TextDecoder('utf-8', { fatal: false }).decode(new Uint8Array(bytes)) };
    }
    const tok = /^[-+]?[A-Za-z0-9_.+-]+/.exec(this.src.slice(this.i))?.[0] ?? this.fail('value expected');
    this.i += tok.length;
    if (/^[-+]?(\d|\.\d)/.test(tok) || /^[-+]?(inf|infinity|nan)$/i.test(tok)) return { kind: 'number', text: tok };
    return { kind: 'ident', text: tok };
  }

  /** One quoted string as UTF-8 bytes. */
  private quoted(): number[] {
    const q = this.src[this.i++]!;
    const out: number[] = [];
    const enc = new TextEncoder();
    for (;;) {
      if (this.i >= this.src.length) this.fail('unterminated string');
      const c = this.src[this.i]!;
      if (c === q) {
        this.i++;
        return out;
      }
      if (c !== '\\') {
        const cp = this.src.codePointAt(this.i)!;
        const ch = String.fromCodePoint(cp);
        out.push(...enc.encode(ch));
        this.i += ch.length;
        continue;
      }
      const e = this.src[this.i + 1]!;
      this.i += 2;
      const simple: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92, "'": 39, '"': 34, '?': 63 };
      if (e in simple) out.push(simple[e]!);
      else if (/[0-7]/.test(e)) {
        let s = e;
        while (s.length < 3 && /[0-7]/.test(this.src[this.i] ?? '')) s += this.src[this.i++];
        out.push(parseInt(s, 8) & 0xff);
      } else if (e === 'x' || e === 'X') {
        let s = '';
        while (s.length < 2 && /[0-9a-fA-F]/.test(this.src[this.i] ?? '')) s += this.src[this.i++];
        out.push(parseInt(s, 16));
      } else if (e === 'u' || e === 'U') {
        const n = e === 'u' ? 4 : 8;
        const hex = this.src.slice(this.i, this.i + n);
        this.i += n;
        out.push(...enc.encode(String.fromCodePoint(parseInt(hex, 16))));
      } else this.fail(`unknown escape \\${e}`);
    }
  }
}

export function parseTextproto(src: string): TextMessage {
  return new Reader(src).message(true);
}

/** The messages of a field (empty when absent). */
export function messages(m: TextMessage, name: string): TextMessage[] {
  return (m.fields.get(name) ?? []).filter((v): v is TextMessage => v.kind === 'message');
}

/** The single message of a field, or null. */
export function message(m: TextMessage, name: string): TextMessage | null {
  return messages(m, name)[0] ?? null;
}

/** The single scalar of a field, or null. */
export function scalar(m: TextMessage, name: string): TextScalar | null {
  const v = m.fields.get(name)?.[0];
  return v && v.kind !== 'message' ? v : null;
}

export function str(m: TextMessage, name: string): string | null {
  const v = scalar(m, name);
  return v?.kind === 'string' ? v.value : null;
}

export function flag(m: TextMessage, name: string): boolean {
  const v = scalar(m, name);
  return v?.kind === 'ident' && v.text === 'true';
}
