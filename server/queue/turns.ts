/**
 * Work that must take turns per key (a centre's calls) inside this process, without holding
 * anything while it waits: each key keeps the promise of its last piece of work, and the next
 * piece starts when that one has settled, whether it succeeded or failed.
 */
export class KeyedTurns<K> {
  private readonly tails = new Map<K, Promise<void>>();

  /** `aside`: how to wait for the work ahead (the pool's `aside`, so a request waiting for its turn holds no place on the pool). */
  run<T>(key: K, work: () => Promise<T>, aside?: (wait: () => Promise<void>) => Promise<void>): Promise<T> {
    const previous = this.tails.get(key);
    const result = previous ? (aside ? aside(() => previous) : previous).then(work) : work();
    const tail = result.then(
      () => {},
      () => {},
    );
    this.tails.set(key, tail);
    // The last in line removes its key, so the map holds only keys with work in progress.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** How many keys have work running or waiting (for metrics and tests). */
  get busyKeys(): number {
    return this.tails.size;
  }
}
