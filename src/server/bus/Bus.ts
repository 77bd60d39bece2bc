/**
 * The pub/sub bus that carries inserted datapoints to websocket subscribers. In-process for one
 * server; PostgreSQL LISTEN/NOTIFY when several servers share a database.
 */
import type { Datapoint } from '../../core/model';

/** A published batch: the stream path (`u/d/s` or `u/d/s/downlink`) and its datapoints. */
export interface BusMessage {
  stream: string;
  data: Datapoint[];
}

export type BusHandler = (message: BusMessage) => void;

export interface Bus {
  /** Delivers to every subscriber of `message.stream`, on every server. */
  publish(message: BusMessage): Promise<void>;
  /** Returns the function that unsubscribes. */
  subscribe(stream: string, handler: BusHandler): () => void;
  close(): Promise<void>;
}
