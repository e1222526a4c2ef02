// Every operation of Gameball's document the stand-in has no state for answers from the document's
// examples (through embedded Prism), after the same key and request checks as the stateful ones,
// with a fresh requestId. A few would claim to change state the stand-in keeps (a batch of orders
// that rewards nobody, a customer excluded who keeps earning): those answer 501 naming the
// operation, unless a named example is asked for, rather than a success that is not one. One that
// names a customer in its path answers Gameball's 7000 for a customer the stand-in does not have,
// as its own reads do (a deleted customer's tier progress is not Adam's), unless a named example
// is asked for.
import type { IHttpRequest } from '@stoplight/prism-http';
import { contractDocument } from '../../openapi/contract.ts';
import { invalidValue, notHonoured } from '../errors.ts';
import { knownCustomer } from '../lifecycle/customers.ts';
import type { PrismEngine } from '../prism-engine.ts';
import type { Route } from './route.ts';

/** The operations the stand-in cannot honour, by operationId, and why. */
const notHonouredOperations: Record<string, string> = {
  updateCustomerActivation: 'the stand-in does not exclude customers from the programme: every customer earns',
  batchCustomers: 'batch jobs do not run on the stand-in; create each customer with POST /customers',
  batchOrders: 'batch jobs do not run on the stand-in; track each order with POST /orders',
  batchOrderTransactions: 'batch jobs do not run on the stand-in; track each order with POST /orders',
  batchBalanceAdjustment: 'batch jobs do not run on the stand-in; adjust each balance with POST /transactions/manual',
  batchCashback: 'batch jobs do not run on the stand-in; reward each cashback with POST /transactions/cashback',
  batchRedeem: 'batch jobs do not run on the stand-in; redeem each with POST /transactions/redeem',
  batchEvents: 'batch jobs do not run on the stand-in; send the events with POST /events',
};

interface DocumentOperation {
  operationId?: string;
  responses?: Record<string, { content?: Record<string, { examples?: Record<string, unknown> }> }>;
}

/** The routes of the document's operations that no route in `owned` answers. */
export function exampleRoutes(prism: () => Promise<PrismEngine>, owned: readonly Route[]): Route[] {
  const taken = new Set(owned.map((route) => `${route.method} ${route.template}`));
  const paths = contractDocument('gameball').paths as Record<string, Record<string, DocumentOperation>>;
  return Object.entries(paths).flatMap(([template, item]) =>
    Object.entries(item)
      .filter(([method]) => !taken.has(`${method.toUpperCase()} ${template}`))
      .map(([method, operation]) => exampleRoute(prism, method.toUpperCase(), template, operation)),
  );
}

function exampleRoute(
  prism: () => Promise<PrismEngine>,
  method: string,
  template: string,
  operation: DocumentOperation,
): Route {
  const name = `${method} ${template} (${operation.operationId})`;
  const examples = Object.keys(
    Object.entries(operation.responses ?? {}).find(([status]) => status.startsWith('2'))?.[1]?.content?.[
      'application/json'
    ]?.examples ?? {},
  );
  const reason = notHonouredOperations[operation.operationId ?? ''];
  return {
    method,
    template,
    fromExamples: true,
    handler: async (request, context) => {
      if (request.example !== undefined && !examples.includes(request.example)) {
        throw invalidValue(
          `Invalid value for the Prefer header: ${name} has no example named "${request.example}"${examples.length > 0 ? ` (its examples: ${examples.join(', ')})` : ''}.`,
        );
      }
      if (reason !== undefined && request.example === undefined) {
        throw notHonoured(`The stand-in cannot honour ${name}: ${reason}. Prefer: example=NAME serves its example.`);
      }
      const { customerId } = request.params;
      if (customerId !== undefined && request.example === undefined) knownCustomer(context, customerId);
      const answer = await (await prism()).answer(prismRequest(request, method, template), request.example);
      return { status: answer.status, body: withRequestId(answer.body, request.requestId) };
    },
  };
}

/**
 * The request as Prism reads it, on the document's own path (whatever the casing it came in). The
 * body was read and validated as JSON already (request-input.ts, as for the operations with state),
 * so it goes to Prism as JSON whatever content type the client named: Prism would otherwise answer
 * the document's canned 422 example for a body the stand-in accepted.
 */
function prismRequest(request: Parameters<Route['handler']>[0], method: string, template: string): IHttpRequest {
  const path = template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(request.params[name] ?? ''));
  const headers = { ...(request.headers as Record<string, string>) };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  return {
    method: method.toLowerCase() as IHttpRequest['method'],
    url: { path, query: Object.fromEntries(request.query) },
    headers,
    ...(request.body !== undefined ? { body: request.body } : {}),
  };
}

/** An example's own `requestId` (an error example's) replaced by this request's. */
function withRequestId(body: unknown, requestId: string | undefined): unknown {
  if (requestId === undefined || body === null || typeof body !== 'object' || !('requestId' in body)) return body;
  return { ...body, requestId };
}
