import type { Bus } from '../bus/Bus';
import type { Storage } from '../storage/Storage';

/** What domain operations run against: storage, the bus and a clock (unix seconds). */
export interface DomainContext {
  readonly storage: Storage;
  readonly bus: Bus;
  now(): number;
}
