// A load run's connections: one pool per instance of the endpoint (the configuration's url alone,
// or each of `targets` too), requests taken round-robin, and what each instance was sent and
// failed, so a report can say which instance of a fleet is the broken one.
import { createClient, type LoadClient } from './client.ts';

/** What one instance was sent and how much of it failed. */
export interface InstanceCount {
  /** The instance's origin. */
  url: string;
  requests: number;
  failures: number;
}

export interface FleetClients {
  readonly clients: readonly LoadClient[];
  /** In the order of the instances; counted by the caller, which judges the answers. */
  readonly counts: readonly InstanceCount[];
  /** The index of the instance whose turn it is. */
  pick(): number;
  /** Bytes on every connection, as k6 counts them. */
  readonly bytes: { readonly sent: number; readonly received: number };
  close(): Promise<void>;
}

/** `connections` shared out among the instances as evenly as they go (each gets at least one). */
export function createFleetClients(instances: readonly string[], connections: number, timeoutMs: number): FleetClients {
  const count = instances.length;
  const clients = instances.map((origin, i) =>
    createClient(origin, Math.max(1, Math.floor(connections / count) + (i < connections % count ? 1 : 0)), timeoutMs),
  );
  let turn = 0;
  const sum = (side: 'sent' | 'received'): number => clients.reduce((n, client) => n + client.bytes[side], 0);
  return {
    clients,
    counts: instances.map((url) => ({ url, requests: 0, failures: 0 })),
    pick: () => {
      const picked = turn;
      turn = turn + 1 === count ? 0 : turn + 1;
      return picked;
    },
    bytes:
      count === 1
        ? clients[0]!.bytes
        : {
            get sent() {
              return sum('sent');
            },
            get received() {
              return sum('received');
            },
          },
    close: async () => {
      await Promise.all(clients.map((client) => client.close()));
    },
  };
}
