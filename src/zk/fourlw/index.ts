/** ZooKeeper's four-letter words: recognising them on a new connection and answering them. */
export { FOUR_LETTER_WORDS, fourLetterWordOf, parseWhitelist, TELNET_CLOSE } from './words.js';
export { runFourLetterWord, ZK_NOT_SERVING } from './commands.js';
export { ZK_COMPAT_VERSION, ZK_FULL_VERSION } from './version.js';
