// Gameball's customer operations, with real state: create or update, read (public and with personal
// data), delete, and the balance (read from the ledger). Reading a customer never creates one.
import type { components } from '../../openapi/generated/gameball.ts';
import { deleteCustomer, knownCustomer, upsertCustomer } from '../lifecycle/customers.ts';
import { presentBalance, presentDetails, presentProfile } from '../present-customer.ts';
import type { Route } from './route.ts';

type Schemas = components['schemas'];

const base = '/api/v4.0/integrations';

export const customerRoutes: Route[] = [
  {
    method: 'POST',
    template: `${base}/customers`,
    handler: async (request, context) => {
      const body = request.body as Schemas['CustomerRequest'];
      const customer = await context.serialise(body.customerId, () => upsertCustomer(context, body));
      return { body: { gameballId: customer.gameballId } };
    },
  },
  {
    method: 'GET',
    template: `${base}/customers/{customerId}`,
    handler: (request, context) => ({ body: presentProfile(knownCustomer(context, request.params.customerId!)) }),
  },
  {
    method: 'GET',
    template: `${base}/customers/{customerId}/details`,
    handler: (request, context) => ({ body: presentDetails(knownCustomer(context, request.params.customerId!)) }),
  },
  {
    method: 'DELETE',
    template: `${base}/customers/{customerId}`,
    handler: async (request, context) => {
      const customerId = request.params.customerId!;
      await context.serialise(customerId, () => deleteCustomer(context, customerId));
      return { body: undefined };
    },
  },
  {
    method: 'GET',
    template: `${base}/customers/{customerId}/balance`,
    handler: (request, context) => {
      const customerId = request.params.customerId!;
      knownCustomer(context, customerId);
      return { body: presentBalance(context, customerId) };
    },
  },
];
