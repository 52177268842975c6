/**
 * The four-letter words ZooKeeper 3.8 recognises (FourLetterCommands.java). A client that opens a
 * connection and sends one of these as its first 4 bytes gets a text answer instead of a session:
 * NIOServerCnxn.checkFourLetterWord reads the would-be length prefix as a big-endian int and looks
 * it up in this table.
 */

/** The int code ZooKeeper compares: ByteBuffer.wrap(word.getBytes()).getInt(). */
function codeOf(word: string): number {
  return Buffer.from(word, 'latin1').readInt32BE(0);
}

const WORDS = [
  'conf', 'cons', 'crst', 'dirs', 'dump', 'envi', 'gtmk', 'ruok', 'stmk', 'srst', 'srvr', 'stat',
  'wchc', 'wchp', 'wchs', 'mntr', 'isro', 'hash',
] as const;

/** FourLetterCommands.telnetCloseCmd: the bytes telnet sends for Ctrl-C (IAC IP), named "telnet close". */
export const TELNET_CLOSE = 'telnet close';

/** name → the int code ZooKeeper matches on the first 4 bytes of a connection. */
export const FOUR_LETTER_WORDS: ReadonlyMap<string, number> = new Map<string, number>([
  ...WORDS.map((w) => [w, codeOf(w)] as [string, number]),
  [TELNET_CLOSE, 0xfff4fffd | 0],
]);

const BY_CODE = new Map<number, string>([...FOUR_LETTER_WORDS].map(([w, c]) => [c, w]));

/** The word the first 4 bytes of a connection spell, or null when they are a request length. */
export function fourLetterWordOf(first4: Buffer): string | null {
  if (first4.length < 4) return null;
  return BY_CODE.get(first4.readInt32BE(0)) ?? null;
}

/**
 * 4lw.commands.whitelist → the words that may run (FourLetterCommands.isEnabled): a comma list,
 * trimmed; '*' enables every known word. ZooKeeper always adds srvr (zkServer.sh status needs it),
 * so its default — no whitelist set — is srvr only. Names ZooKeeper does not know can never match a
 * connection's first bytes, so they are dropped here.
 */
export function parseWhitelist(value: string): string[] {
  const enabled = new Set<string>();
  for (const item of value.split(',').map((s) => s.trim())) {
    if (item === '*') {
      for (const w of FOUR_LETTER_WORDS.keys()) enabled.add(w);
      break;
    }
    if (FOUR_LETTER_WORDS.has(item)) enabled.add(item);
  }
  enabled.add('srvr');
  return [...FOUR_LETTER_WORDS.keys()].filter((w) => enabled.has(w));
}
