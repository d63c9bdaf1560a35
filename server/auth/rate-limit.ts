/**
 * Token buckets keyed by a string (username, address). In memory: a second instance has its
 * own, which still bounds guessing to a small multiple.
 */
export class TokenBucket {
  private buckets = new Map<string, { tokens: number; refilledAt: number }>();

  constructor(
    readonly capacity: number,
    readonly refillIntervalMs: number,
  ) {}

  /** Takes one token; false when the bucket is empty. */
  consume(key: string, now = Date.now()): boolean {
    const bucket = this.refill(key, now);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Whether a token could be taken now (without taking it). */
  available(key: string, now = Date.now()): boolean {
    return this.refill(key, now).tokens >= 1;
  }

  /** Milliseconds until one token is back. */
  retryAfterMs(key: string, now = Date.now()): number {
    const bucket = this.refill(key, now);
    if (bucket.tokens >= 1) return 0;
    return this.refillIntervalMs - (now - bucket.refilledAt);
  }

  reset(key: string) {
    this.buckets.delete(key);
  }

  private refill(key: string, now: number) {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: this.capacity, refilledAt: now };
      this.buckets.set(key, bucket);
      if (this.buckets.size > 50_000) this.prune(now);
      return bucket;
    }
    const refill = Math.floor((now - bucket.refilledAt) / this.refillIntervalMs);
    if (refill > 0) {
      bucket.tokens = Math.min(this.capacity, bucket.tokens + refill);
      bucket.refilledAt = bucket.tokens === this.capacity ? now : bucket.refilledAt + refill * this.refillIntervalMs;
    }
    return bucket;
  }

  private prune(now: number) {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.refilledAt) / this.refillIntervalMs >= this.capacity) this.buckets.delete(key);
    }
  }
}
