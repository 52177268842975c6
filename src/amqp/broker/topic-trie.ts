/**
 * Topic bindings indexed by word (rabbit_exchange_type_topic's trie): a routing key is matched by
 * walking its words, so the cost follows the key's length and the patterns that share its
 * prefix, not the number of bindings. `*` matches exactly one word, `#` zero or more
 * (tutorial-five; `#` alone matches every key, the empty one too).
 */
interface TrieNode<T> {
  children: Map<string, TrieNode<T>>;
  values: Set<T>;
}

const node = <T>(): TrieNode<T> => ({ children: new Map(), values: new Set() });

export class TopicTrie<T> {
  private readonly root: TrieNode<T> = node();

  add(pattern: string, value: T): void {
    let at = this.root;
    for (const word of pattern.split('.')) {
      let child = at.children.get(word);
      if (!child) at.children.set(word, child = node());
      at = child;
    }
    at.values.add(value);
  }

  remove(pattern: string, value: T): void {
    const path: TrieNode<T>[] = [this.root];
    const words = pattern.split('.');
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
    this.walk(this.root, key.split('.'), 0, out);
  }

  private walk(at: TrieNode<T>, words: string[], i: number, out: Set<T>): void {
    const hash = at.children.get('#');
    if (hash) {
      // `#` swallows zero or more words: try every remaining suffix.
      for (let j = i; j <= words.length; j++) this.walk(hash, words, j, out);
    }
    if (i === words.length) {
      for (const v of at.values) out.add(v);
      return;
    }
    const exact = at.children.get(words[i]!);
    if (exact) this.walk(exact, words, i + 1, out);
    const star = at.children.get('*');
    if (star) this.walk(star, words, i + 1, out);
  }
}
