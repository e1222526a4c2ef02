// Everything a handler of the stand-in needs: the state store, the stand-in's clock, its options,
// the code generators and the log of calls made to the merchant.
import type { CassetteWriter } from '../core/cassette/cassette-writer.ts';
import { codeGenerator, seededRandom } from '../core/scenarios/scenarios.ts';
import type { DeliveryRecord } from './delivery-record.ts';
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
  /** How many merchant calls GET /__gb/deliveries keeps (the newest). */
  deliveryLogSize: number;
  /** Where each call to the merchant is also recorded, in the cassette format (`mock --cassette`). */
  cassette?: CassetteWriter;
}

export interface MockContext {
  store: StateStore;
  settings: MockSettings;
  /** The stand-in's time: the wall clock plus what POST /__gb/clock/advance added. */
  now(): Date;
  advanceClock(ms: number): void;
  nextCode(prefix: string): string;
  nextReference(prefix: string): string;
  /** Points held by redemptions whose merchant call is still in flight, by customer. */
  reserved: Map<string, number>;
  deliveries: DeliveryRecord[];
  recordDelivery(record: DeliveryRecord): void;
}

export function createContext(store: StateStore, settings: MockSettings, seed?: number): MockContext {
  const random = seed === undefined ? Math.random : seededRandom(seed);
  const codes = codeGenerator(random);
  let offsetMs = 0;
  const deliveries: DeliveryRecord[] = [];
  return {
    store,
    settings,
    now: () => new Date(Date.now() + offsetMs),
    advanceClock: (ms) => {
      offsetMs += ms;
    },
    // Codes must stay unique across restarts of a --state file too: one that exists is skipped.
    nextCode: (prefix) => {
      for (;;) {
        const code = codes(prefix);
        if (!store.get('coupon', code)) return code;
      }
    },
    nextReference: (prefix) => {
      for (;;) {
        const reference = codes(prefix);
        if (!store.get('lock', reference)) return reference;
      }
    },
    reserved: new Map(),
    deliveries,
    recordDelivery: (record) => {
      deliveries.push(record);
      if (deliveries.length > settings.deliveryLogSize)
        deliveries.splice(0, deliveries.length - settings.deliveryLogSize);
    },
  };
}
