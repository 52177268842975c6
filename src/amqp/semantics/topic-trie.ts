import { splitTopicKey } from './routing.js';

/**
 * Topic bindings indexed by word (rabbit_exchange_type_topic's trie): a routing key is matched by
 * walking its words, so the cost follows the key's length and the patterns that share its
 * prefix, not the number of bindings. `*` matches exactly one word, `#` zero or more
 * (tutorial-five; `#` alone matches every key, the empty one too; `*` does not match the empty
 * key, which has no words: rabbit_exchange_type_topic split_topic_key). A `#` node is expanded at
 * most once per word position, so `#.#.#…` patterns stay polynomial, not exponential.
 */
interface TrieNode<T> {
  readonly id: number;
  children: Map<string, TrieNode<T>>;
  values: Set<T>;
}

export class TopicTrie<T> {
  private nodes = 0;
  private readonly root: TrieNode<T> = this.node();

  private node(): TrieNode<T> { return { id: this.nodes++, children: new Map(), values: new Set() }; }

  add(pattern: string, value: T): void {
    let at = this.root;
    for (const word of splitTopicKey(pattern)) {
      let child = at.children.get(word);
      if (!child) at.children.set(word, child = this.node());
      at = child;
    }
    at.values.add(value);
  }

  remove(pattern: string, value: T): void {
    const path: TrieNode<T>[] = [this.root];
    const words = splitTopicKey(pattern);
    for (const word of words) {
      const child = path[path.length - 1]!.children.get(word);
      if (!child) return;
      path.push(child);
    }
    path[path.length - 1]!.values.delete(value);
    for (let i = words.length; i > 0; i--) {
      const n = path[i]!;
      if (n.values.size > 0 || n.children.size > 0) break;
      path[i - 1]!.children.delete(words[i - 1]!);
    }
  }

  /** Every value whose pattern matches `key`, added to `out`. */
  match(key: string, out: Set<T>): void {
    this.walk(this.root, splitTopicKey(key), 0, out, new Set());
  }

  private walk(at: TrieNode<T>, words: string[], i: number, out: Set<T>, expanded: Set<number>): void {
    const hash = at.children.get('#');
    if (hash) {
      // `#` swallows zero or more words: try every remaining suffix, each (node, position) once.
      for (let j = i; j <= words.length; j++) {
        const visit = hash.id * (words.length + 1) + j;
        if (expanded.has(visit)) continue;
        expanded.add(visit);
        this.walk(hash, words, j, out, expanded);
      }
    }
    if (i === words.length) {
      for (const v of at.values) out.add(v);
      return;
    }
    const exact = at.children.get(words[i]!);
    if (exact) this.walk(exact, words, i + 1, out, expanded);
    const star = at.children.get('*');
    if (star) this.walk(star, words, i + 1, out, expanded);
  }
}
