import type { FieldTable, FieldValue } from '../protocol/field-table.js';

// RabbitMQ builds its error texts with io_lib:format: `~s` prints a binary's bytes as they are,
// `~p` prints an Erlang term ({value_negative,-1}, <<"x">>, "expected integer, got longstr").
// To reproduce those texts byte for byte we model the few Erlang terms they contain and print
// them as OTP 25 (Debian 12's, under RabbitMQ 3.10.8) does.

export type Term =
  | bigint // integer
  | number // float
  | boolean // the atoms true / false
  | Buffer // binary
  | { readonly atom: string }
  | { readonly str: string } // a string (list of characters)
  | { readonly tuple: readonly Term[] }
  | { readonly map: readonly (readonly [Term, Term])[] }
  | readonly Term[]; // list

export const atom = (name: string): Term => ({ atom: name });
export const str = (text: string): Term => ({ str: text });
export const tuple = (...items: Term[]): Term => ({ tuple: items });

/**
 * The type atom rabbit_binary_parser gives each tag (parse_table): RabbitMQ names types this way in
 * its texts, e.g. "expected integer, got longstr", "of type 'signedint'".
 */
export const FIELD_TYPE_NAMES: Readonly<Record<FieldValue['type'], string>> = {
  t: 'bool', b: 'byte', B: 'unsignedbyte', s: 'short', u: 'unsignedshort', I: 'signedint', i: 'unsignedint',
  l: 'long', L: 'long', f: 'float', d: 'double', D: 'decimal', S: 'longstr', x: 'binary', A: 'array',
  F: 'table', T: 'timestamp', V: 'void',
};

export function fieldTypeName(v: FieldValue): string {
  return FIELD_TYPE_NAMES[v.type];
}

/** The Erlang value rabbit_binary_parser makes of a field (the second element of {Type, Value}). */
export function fieldTerm(v: FieldValue): Term {
  switch (v.type) {
    case 't': return v.value;
    case 'b': case 'B': case 's': case 'u': case 'I': case 'i': return BigInt(v.value);
    case 'l': case 'L': case 'T': return v.value;
    case 'f': case 'd': return v.value;
    case 'D': return tuple(BigInt(v.scale), BigInt(v.value));
    case 'S': case 'x': return v.value;
    case 'A': return v.value.map((item) => tuple(atom(fieldTypeName(item)), fieldTerm(item)));
    case 'F': return tableTerm(v.value);
    case 'V': return atom('undefined');
  }
}

function tableTerm(table: FieldTable): Term {
  return table.map(([name, value]) => tuple(Buffer.from(name, 'utf8'), atom(fieldTypeName(value)), fieldTerm(value)));
}

/** io_lib:printable_latin1_list: printable latin1 plus the control characters ~p writes as escapes. */
const isPrintableByte = (b: number) => (b >= 32 && b <= 126) || b >= 160 || (b >= 8 && b <= 13) || b === 27;

const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\', '"': '\\"', '\n': '\\n', '\t': '\\t', '\r': '\\r', '\b': '\\b', '\v': '\\v', '\f': '\\f', '\x1b': '\\e',
};

function escapeChars(text: string): string {
  return text.replace(/[\\"\n\t\r\b\v\f\x1b]/g, (c) => ESCAPES[c]!);
}

/** binary_to_list(Bytes) as ~p prints it: a string when printable, else a list of integers. */
export function charList(bytes: Buffer): Term {
  return bytes.every(isPrintableByte) ? str(bytes.toString('utf8')) : [...bytes].map((b) => BigInt(b));
}

/** io_lib:format("~p", [T]) for the terms above (OTP 25, latin1 printable range). */
export function formatTerm(t: Term): string {
  if (typeof t === 'bigint') return t.toString();
  if (typeof t === 'number') return formatFloat(t);
  if (typeof t === 'boolean') return String(t);
  if (Buffer.isBuffer(t)) return formatBinary(t);
  if (Array.isArray(t)) return `[${t.map(formatTerm).join(',')}]`;
  const o = t as { atom?: string; str?: string; tuple?: readonly Term[]; map?: readonly (readonly [Term, Term])[] };
  if (o.atom !== undefined) return o.atom;
  if (o.str !== undefined) return `"${escapeChars(o.str)}"`;
  if (o.map !== undefined) return `#{${o.map.map(([k, v]) => `${formatTerm(k)} => ${formatTerm(v)}`).join(',')}}`;
  return `{${o.tuple!.map(formatTerm).join(',')}}`;
}

/** ~s of a term: a binary's or string's characters as they are, anything else as ~p would. */
export function formatPlain(t: Term): string {
  if (Buffer.isBuffer(t)) return t.toString('utf8');
  if (typeof t === 'object' && !Array.isArray(t) && 'str' in t) return t.str;
  return formatTerm(t);
}

function formatBinary(b: Buffer): string {
  // A binary of printable bytes prints as <<"text">>; the bytes go to the wire unchanged, so a
  // UTF-8 name stays UTF-8 in the reply text.
  if (b.every(isPrintableByte)) return `<<"${escapeChars(b.toString('utf8'))}">>`;
  return `<<${[...b].join(',')}>>`;
}

/**
 * Erlang's shortest float form: the fewest digits that read back as the same float, written in
 * fixed or scientific notation, whichever is shorter (fixed on a tie): 100.0, 1.0e10, 1.5e-7.
 */
export function formatFloat(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, expText] = x.toExponential().split('e');
  const exp = Number(expText);
  const sign = mantissa!.startsWith('-') ? '-' : '';
  const digits = mantissa!.replace(/^-/, '').replace('.', '');
  const sci = `${sign}${digits[0]}.${digits.slice(1) || '0'}e${exp}`;
  let fixed: string;
  if (exp >= 0) {
    const intPart = digits.length > exp + 1 ? digits.slice(0, exp + 1) : digits.padEnd(exp + 1, '0');
    fixed = `${sign}${intPart}.${digits.slice(exp + 1) || '0'}`;
  } else {
    fixed = `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  return fixed.length <= sci.length ? fixed : sci;
}

/** Erlang `==` (numbers compare by value across int and float) or `=:=` (exact). */
export function termsEqual(a: Term, b: Term, exact: boolean): boolean {
  if (typeof a === 'bigint' || typeof a === 'number') {
    if (typeof b !== 'bigint' && typeof b !== 'number') return false;
    if (typeof a !== typeof b) return !exact && Number(a) === Number(b);
    return a === b;
  }
  if (typeof a === 'boolean') return a === b;
  if (Buffer.isBuffer(a)) return Buffer.isBuffer(b) && a.equals(b);
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => termsEqual(item, b[i] as Term, exact));
  }
  if (typeof b !== 'object' || Buffer.isBuffer(b) || Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  if ('atom' in x) return 'atom' in y && x.atom === y.atom;
  if ('str' in x) return 'str' in y && x.str === y.str;
  if ('map' in x) return 'map' in y && formatTerm(a) === formatTerm(b);
  const xs = x.tuple as Term[];
  const ys = y.tuple as Term[] | undefined;
  return ys !== undefined && xs.length === ys.length && xs.every((item, i) => termsEqual(item, ys[i]!, exact));
}

/**
 * The Erlang term the management API's JSON decoder makes of a value: strings are binaries,
 * integers integers, other numbers floats, null the atom null, objects maps (printed sorted by key).
 */
export function jsonTerm(value: unknown): Term {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (typeof value === 'boolean') return value;
  if (value === null || value === undefined) return atom('null');
  if (Array.isArray(value)) return value.map(jsonTerm);
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return { map: entries.map(([k, v]) => [Buffer.from(k, 'utf8'), jsonTerm(v)] as const) };
}

const ASCII = /^[\x00-\x7f]*$/;

/** Erlang's order of binaries (bytewise on UTF-8), e.g. for lists:keysort of table keys. For ASCII
 *  names (nearly all) JS string order is the same and needs no encoding. */
export function compareBinaryKeys(a: string, b: string): number {
  if (ASCII.test(a) && ASCII.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
