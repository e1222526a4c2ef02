// Every operation of Gameball's document, called on the real stand-in (startMock over HTTP on
// 127.0.0.1) as a partner's client would call it: valid keys and a minimal valid request built from
// the document alone (required parameters and required body fields, with the document's example
// values). No operation Gameball publishes may answer 404: each answers its documented success with
// a body that validates against the document's schema for it, or, for the few the stand-in cannot
// honour, 501 naming the operation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../../mock/index.ts';
import {
  contractDocument,
  describeErrors,
  requestBodyValidator,
  responseBodyValidator,
} from '../../openapi/contract.ts';
import { resolveRef } from '../../openapi/json-pointer.ts';
import { keys } from './support.ts';

// Operations the stand-in answers from its state, which a first call on an empty stand-in cannot
// satisfy; their own tests (stand-in.test.ts) build that state first.
const needState: Record<string, string> = {
  getCouponConfiguration: 'answers 404 until a configuration has been PUT',
  generateCouponByRule: "calls the merchant's endpoint, which needs a configuration",
  validateCoupon: 'needs a coupon issued to the customer',
  validateCoupons: 'needs coupons issued to the customer',
  burnCoupons: 'needs an issued coupon or a lock',
  releaseLockedCoupons: 'needs a lock taken by a validation',
  getHeldPoints: 'needs a hold taken by POST /transactions/hold (the example names one that does not exist)',
  releaseHeldPoints: 'needs a hold taken by POST /transactions/hold (the example names one that does not exist)',
};

// Operations the stand-in cannot honour: they would claim to change state it keeps (mock/routes/example-routes.ts).
const notHonoured = [
  'updateCustomerActivation',
  'batchCustomers',
  'batchOrders',
  'batchOrderTransactions',
  'batchBalanceAdjustment',
  'batchCashback',
  'batchRedeem',
  'batchEvents',
];

// Operations whose schema leaves optional what Gameball's prose asks for (one of several fields):
// they are called with their whole example.
const wholeExample = ['holdPoints', 'createManualTransaction'];

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  example?: unknown;
  examples?: Record<string, { value: unknown }>;
}

interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { examples?: Record<string, unknown> }> };
  responses: Record<string, { content?: Record<string, unknown> }>;
}

interface Call {
  label: string;
  method: string;
  template: string;
  operation: Operation;
}

const document = contractDocument('gameball');
const deref = <T>(node: T): T => resolveRef(document, node) as T;

const calls: Call[] = Object.entries(document.paths ?? {}).flatMap(([template, item]) =>
  Object.entries(item as Record<string, Operation>).map(([method, operation]) => ({
    label: `${method.toUpperCase()} ${template} (${operation.operationId})`,
    method,
    template,
    operation,
  })),
);

/** A parameter's example value, as the document gives it. */
function exampleOf(parameter: Parameter): string {
  const value = parameter.example ?? Object.values(parameter.examples ?? {})[0]?.value;
  if (value === undefined) throw new Error(`The document gives no example for the parameter ${parameter.name}`);
  return String(value);
}

/** The URL with the required path and query parameters filled in from their examples. */
function urlOf(call: Call): string {
  let path = call.template;
  const query = new URLSearchParams();
  for (const parameter of (call.operation.parameters ?? []).map(deref)) {
    if (!parameter.required) continue;
    if (parameter.in === 'path') path = path.replace(`{${parameter.name}}`, encodeURIComponent(exampleOf(parameter)));
    if (parameter.in === 'query') query.set(parameter.name, exampleOf(parameter));
  }
  return `${path}${query.size > 0 ? `?${query}` : ''}`;
}

/**
 * The body: the required fields of the first named request example, or the whole example where
 * the schema asks for more than its required fields (one of `amount`, `points`, `holdReference`).
 */
function bodyOf(call: Call): unknown {
  const examples = call.operation.requestBody?.content['application/json']?.examples;
  if (!examples) return undefined;
  const example = deref(Object.values(examples)[0] as { value: Record<string, unknown> }).value;
  const schema = deref(
    (call.operation.requestBody!.content['application/json'] as { schema: { required?: string[] } }).schema,
  );
  const minimal = Object.fromEntries(Object.entries(example).filter(([key]) => schema.required?.includes(key)));
  const validate = requestBodyValidator('gameball', call.method, call.template);
  return validate(minimal) && !wholeExample.includes(call.operation.operationId) ? minimal : example;
}

/** The documented success: its status, and the validator of its body when it has one. */
function successOf(call: Call): { status: number; hasBody: boolean } {
  const [status, response] = Object.entries(call.operation.responses).find(([code]) => code.startsWith('2'))!;
  return { status: Number(status), hasBody: deref(response).content !== undefined };
}

let mock: RunningMock;

beforeAll(async () => {
  mock = await startMock({ logLevel: 'silent', seed: 7 });
  // The document's examples speak of Adam (CUS_10482) and of a customer to delete (CUS_99001); they
  // exist, as they would for a partner.
  for (const customerId of ['CUS_10482', 'CUS_99001']) {
    const created = await fetch(`${mock.url}/api/v4.0/integrations/customers`, {
      method: 'POST',
      headers: { ...keys, 'content-type': 'application/json' },
      body: JSON.stringify({ customerId }),
    });
    expect(created.status).toBe(200);
  }
});

afterAll(async () => {
  await mock?.stop();
});

describe("every operation of Gameball's document on the stand-in", () => {
  it('calls every operation of the document but those listed as needing state', () => {
    expect(calls.length).toBeGreaterThanOrEqual(75);
    const ids = calls.map((call) => call.operation.operationId);
    expect(Object.keys(needState).filter((id) => !ids.includes(id))).toEqual([]);
  });

  it.each(
    calls.filter((call) => !(call.operation.operationId in needState)).map((call) => [call.label, call] as const),
  )('%s answers its documented success, as documented', async (_label, call) => {
    const body = bodyOf(call);
    const response = await fetch(`${mock.url}${urlOf(call)}`, {
      method: call.method.toUpperCase(),
      headers: { ...keys, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const success = successOf(call);
    expect(response.status, text).not.toBe(404);
    if (notHonoured.includes(call.operation.operationId)) {
      expect(response.status, text).toBe(501);
      expect(JSON.parse(text)).toMatchObject({
        code: 501,
        message: expect.stringContaining(call.operation.operationId),
      });
      return;
    }
    expect(response.status, text).toBe(success.status);
    if (!success.hasBody) return;
    const validate = responseBodyValidator('gameball', call.method, call.template, String(success.status));
    const valid = validate(JSON.parse(text));
    expect(describeErrors(validate.errors), text).toEqual([]);
    expect(valid).toBe(true);
  });
});
