// Every named example in both documents validates against the schema beside it: examples are
// what Prism serves and what people copy, so a wrong one is a bug.
import { describe, expect, it } from 'vitest';
import { type ContractName, contractDocument, describeErrors, validatorAt } from '../../openapi/contract.ts';
import { resolveRef } from '../../openapi/json-pointer.ts';

interface ExampleSite {
  where: string;
  schemaPath: string[];
  name: string;
  value: unknown;
}

/** Every media type object with named examples, wherever it sits (paths, webhooks, callbacks, components). */
function collectExamples(document: object): ExampleSite[] {
  const sites: ExampleSite[] = [];
  const walk = (node: unknown, path: string[]): void => {
    if (node === null || typeof node !== 'object') return;
    const media = node as { schema?: unknown; examples?: Record<string, unknown> };
    if (media.schema && media.examples && path.at(-2) === 'content') {
      for (const [name, example] of Object.entries(media.examples)) {
        const value = (resolveRef(document, example) as { value: unknown }).value;
        sites.push({ where: path.join(' '), schemaPath: [...path, 'schema'], name, value });
      }
    }
    for (const [key, child] of Object.entries(node)) walk(child, [...path, key]);
  };
  walk(document, []);
  return sites;
}

describe.each<ContractName>(['gameball', 'merchant'])('named examples of the %s document', (name) => {
  const document = contractDocument(name);
  const sites = collectExamples(document);

  it('has examples to check', () => {
    expect(sites.length).toBeGreaterThan(name === 'gameball' ? 30 : 15);
  });

  it.each(sites.map((s) => [`${s.where} :: ${s.name}`, s] as const))('%s validates', (_label, site) => {
    const validate = validatorAt(name, site.schemaPath);
    const valid = validate(site.value);
    expect(describeErrors(validate.errors), JSON.stringify(site.value)).toEqual([]);
    expect(valid).toBe(true);
  });
});

describe('the seed scenarios appear on every operation where they apply', () => {
  const gameball = contractDocument('gameball');
  const operations = Object.entries(gameball.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ path, method, op: op as Record<string, unknown> })),
  );
  type Responses = Record<string, { content?: Record<string, { examples?: object }> }>;
  const successOf = (op: Record<string, unknown>) =>
    Object.entries(op.responses as Responses).find(([status]) => status.startsWith('2'))![1];
  // The seed's story (Adam redeems 500 points for a coupon and uses it at checkout) runs through
  // these operations; Gameball's other operations show their own examples.
  const seedOperations = [
    'getRedemptionConfiguration',
    'generateCouponByRule',
    'redeemPoints',
    'getCustomerCoupons',
    'validateCoupon',
    'validateCoupons',
    'burnCoupons',
    'releaseLockedCoupons',
    'trackOrder',
    'createCustomer',
  ];

  it.each(
    operations
      .filter((o) => seedOperations.includes(o.op.operationId as string))
      .map((o) => [`${o.method} ${o.path}`, o] as const),
  )('%s has an Adam (redeem) example on its 200 response', (_label, { op }) => {
    const examples = successOf(op).content?.['application/json']?.examples ?? {};
    expect(Object.keys(examples)).toContain('adamRedeems');
  });

  it('covers every operation of the seed story', () => {
    expect(operations.filter((o) => seedOperations.includes(o.op.operationId as string))).toHaveLength(
      seedOperations.length,
    );
  });

  it.each(
    operations.filter((o) => successOf(o.op).content !== undefined).map((o) => [`${o.method} ${o.path}`, o] as const),
  )('%s has a named example on its success answer', (_label, { op }) => {
    expect(Object.keys(successOf(op).content?.['application/json']?.examples ?? {}).length).toBeGreaterThan(0);
  });

  it('the webhook shows Adam, Sarah, free shipping and free product deliveries', () => {
    const webhook = (
      gameball.webhooks!.couponDelivery as { post: { requestBody: { content: Record<string, { examples: object }> } } }
    ).post;
    expect(Object.keys(webhook.requestBody.content['application/json']!.examples)).toEqual(
      expect.arrayContaining(['adamRedeems', 'sarahCampaign', 'freeShipping', 'freeProduct', 'testConnection']),
    );
  });
});
