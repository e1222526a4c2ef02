// Everything a handler of the stand-in needs: the state store, the stand-in's clock, its options,
// the code generators, the queue of each customer's requests and the log of calls made to the merchant.
import type { CassetteWriter } from '../core/cassette/cassette-writer.ts';
import { codeGenerator, seededRandom } from '../core/scenarios/scenarios.ts';
import type { components } from '../openapi/generated/gameball-mock-control.ts';
import { type CustomerQueue, createCustomerQueue } from './customer-queue.ts';
import { maxClockAheadSeconds } from './dates.ts';
import type { DeliveryRecord } from './delivery-record.ts';
import { invalidValue } from './errors.ts';
import type { StateStore } from './state/state-store.ts';

export interface MockSettings {
  /** When set, the APIKey header must carry exactly this; otherwise any non-empty key is accepted. */
  apiKey?: string;
  /** When set, the SecretKey header must carry exactly this; otherwise any non-empty key is accepted. */
  secretKey?: string;
  /** Points a customer starts with when created or first seen. */
  startingPoints: number;
  /** How long the stand-in waits for the merchant's coupon endpoint. */
  merchantTimeoutMs: number;
  /** Sign deliveries with X-GB-Signature using this secret (Gameball's webhook scheme); off when absent. */
  signingSecret?: string;
  /** How many bytes of each body (request and answer) the delivery log keeps. */
  deliveryLogBodyBytes: number;
  /** What earns points (mock/loyalty-rules.json, or --rules FILE). */
  rules: components['schemas']['LoyaltyRules'];
  /** Where each call to the merchant is also recorded, in the cassette format (`mock --cassette`). */
  cassette?: CassetteWriter;
}

export interface MockContext {
  store: StateStore;
  settings: MockSettings;
  /** The stand-in's time: the wall clock plus what POST /__gb/clock/advance added. */
  now(): Date;
  /** Moves the clock forward; a 3003 when it would then be over maxClockAheadSeconds ahead. */
  advanceClock(seconds: number): void;
  resetClock(): void;
  /** A code never issued before, not even in a delivery the merchant refused (record it before sending). */
  nextCode(prefix: string): string;
  /** A reference for a record of `kind` that does not exist yet. */
  nextReference(prefix: string, kind?: 'lock' | 'hold'): string;
  /** Runs `work` after every earlier request of this customer that went through the queue. */
  serialise: CustomerQueue;
  /** Appends to the delivery log (store.deliveries), bounded there. */
  recordDelivery(record: DeliveryRecord): void;
}

/** Where the clock's advance is kept: time is state too, or a restart on a --state file would move
 * it back (a lapsed hold or lock holding again, an expired coupon valid again). */
const clockKey = 'clockAheadSeconds';

export function createContext(store: StateStore, settings: MockSettings, seed?: number): MockContext {
  const random = seed === undefined ? Math.random : seededRandom(seed);
  const codes = codeGenerator(random);
  let aheadSeconds = store.get<number>('counter', clockKey) ?? 0;
  return {
    store,
    settings,
    now: () => new Date(Date.now() + aheadSeconds * 1000),
    advanceClock: (seconds) => {
      if (aheadSeconds + seconds > maxClockAheadSeconds) {
        throw invalidValue(
          `Invalid value for seconds: the clock is ${aheadSeconds} s ahead and can be at most ${maxClockAheadSeconds} s (100 years) ahead; POST /__gb/reset sets it back.`,
        );
      }
      aheadSeconds += seconds;
      store.put('counter', clockKey, aheadSeconds);
    },
    resetClock: () => {
      aheadSeconds = 0;
      store.delete('counter', clockKey);
    },
    // Codes must stay unique across restarts and seeds of a --state file too: a code once sent to a
    // merchant is recorded (issued-code), and one recorded or stored is skipped.
    nextCode: (prefix) => {
      for (;;) {
        const code = codes(prefix);
        if (!store.get('issued-code', code) && !store.get('coupon', code)) return code;
      }
    },
    nextReference: (prefix, kind = 'lock') => {
      for (;;) {
        const reference = codes(prefix);
        if (!store.get(kind, reference)) return reference;
      }
    },
    serialise: createCustomerQueue(),
    recordDelivery: (record) => store.deliveries.append(record),
  };
}
