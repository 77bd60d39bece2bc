import type { Bus, BusHandler, BusMessage } from './Bus';

/** The bus of a single server: a map from stream path to handlers. */
export class InProcessBus implements Bus {
  private readonly handlers = new Map<string, Set<BusHandler>>();

  async publish(message: BusMessage): Promise<void> {
    this.deliver(message);
  }

  /** Calls the local handlers; a failing handler does not stop the others. */
  deliver(message: BusMessage): void {
    const set = this.handlers.get(message.stream);
    if (!set) return;
    for (const handler of [...set]) {
      try {
        handler(message);
      } catch (err) {
        console.error('bus handler failed', err);
      }
    }
  }

  subscribe(stream: string, handler: BusHandler): () => void {
    let set = this.handlers.get(stream);
    if (!set) {
      set = new Set();
      this.handlers.set(stream, set);
    }
    set.add(handler);
    return () => {
      set.delete(handler);
      if (set.size === 0) this.handlers.delete(stream);
    };
  }

  /** The number of streams with local subscribers (for tests and diagnostics). */
  get subscribedStreams(): number {
    return this.handlers.size;
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
