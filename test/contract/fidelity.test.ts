// Fidelity: our Gameball document against Gameball's own. The table below holds what Gameball's
// published OpenAPI ("Gameball API" info.version 4.0.0, https://docs.gameball.co/api-reference/openapi.json,
// read November 2026) says for every operation ours covers: the security requirement, the request's
// required fields and property names, and the property names of the 200 answer and of its items.
// A partner codes against our document; a field Gameball never sends, or a name Gameball spells
// differently, fails here. Additions are allowed only where listed as the project's decisions.
import { describe, expect, it } from 'vitest';
import { contractDocument } from '../../openapi/contract.ts';

interface Schema {
  $ref?: string;
  type?: string | string[];
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
}

interface PublishedOperation {
  security: string[][];
  request?: { required: string[]; properties: string[]; projectAdds?: string[] };
  answer?: string[];
  /** Item fields: a path into the 200 answer (property names, `[]` for array items) and its properties. */
  items?: Record<string, string[]>;
}

const both = [['apiKey', 'secretKey']];
const apiKeyOnly = [['apiKey']];
const identity = ['customerId', 'email', 'mobile'];
const couponConfiguration = [
  'url',
  'method',
  'queryParams',
  'headers',
  'payload',
  'couponMapping',
  'enableFreeProduct',
  'enableFixedRate',
  'enableFreeShipping',
  'enablePercentage',
  'platforms',
];
const coupon = [
  'code',
  'type',
  'value',
  'usageLimit',
  'limitPerCustomer',
  'startDate',
  'expiryDate',
  'capping',
  'minReward',
  'minOrderValue',
  'entitledProductIds',
  'entitledVariantIds',
  'entitledCollectionIds',
  'entitledMerchantIds',
  'combinesWith',
];
const validateOptions = [
  'lock',
  'lockReference',
  'lockDuration',
  'merchantId',
  'collectionId',
  'collectionsIds',
  'totalPurchaseAmount',
];

const published: Record<string, PublishedOperation> = {
  'get /configurations/coupon': { security: both, answer: couponConfiguration },
  'put /configurations/coupon': {
    security: both,
    // contentType: the tutorial's field, accepted and dropped on normalisation (facts file, section 2).
    request: { required: ['url', 'method'], properties: couponConfiguration, projectAdds: ['contentType'] },
  },
  'get /configurations/redemption': {
    security: apiKeyOnly,
    answer: ['redemptionFactor', 'redemptionRules'],
    items: {
      'redemptionRules[]': [
        'id',
        'pointsToRedeem',
        'valueOfPoint',
        'ruleType',
        'coupon',
        'image',
        'creationDate',
        'isActive',
      ],
      'redemptionRules[].coupon': ['couponType', 'discountValue', 'product', 'collections', 'group', 'options'],
      'redemptionRules[].coupon.options': [
        'name',
        'expiryAfter',
        'usageLimit',
        'capping',
        'minOrderValue',
        'codePrefix',
        'redeemInstructions',
      ],
    },
  },
  'post /coupons/predefined': {
    security: both,
    request: { required: ['customerId', 'ruleId'], properties: [...identity, 'ruleId'] },
    answer: ['code', 'startDate', 'expiryDate', 'url', 'pin'],
  },
  'post /transactions/redeem': {
    security: both,
    request: {
      required: ['customerId', 'transactionId', 'transactionTime'],
      properties: [
        ...identity,
        'transactionId',
        'transactionTime',
        'amount',
        'points',
        'holdReference',
        'merchant',
        'hash',
        'otp',
        'ignoreOTP',
        'reason',
      ],
    },
    answer: [
      'customerId',
      'gameballTransactionId',
      'transactionId',
      'redeemAmount',
      'redeemEquivalentPoints',
      'reason',
    ],
  },
  'get /customers/{customerId}/coupons': {
    security: both,
    answer: ['coupons'],
    items: {
      'coupons[]': [
        'name',
        'code',
        'value',
        'type',
        'target',
        'currency',
        'startDate',
        'expiryDate',
        'isExpired',
        'isActive',
        'usageLimit',
        'limitPerCustomer',
        'usedCount',
        'customerUsedCount',
        'isAvailableToUse',
        'iconPath',
      ],
    },
  },
  'post /coupons/{code}/validate': {
    security: both,
    request: { required: ['customerId'], properties: [...identity, ...validateOptions] },
    answer: ['valid', 'coupon', 'lockReference', 'dateToExpire'],
    items: { coupon },
  },
  'post /coupons/validate': {
    security: both,
    request: { required: ['customerId', 'coupons'], properties: [...identity, 'coupons', ...validateOptions] },
    answer: ['valid', 'coupons', 'lockReference', 'dateToExpire'],
    items: { 'coupons[]': coupon },
  },
  'post /coupons/burn': {
    security: both,
    request: {
      required: ['customerId'],
      properties: [...identity, 'transactionId', 'transactionTime', 'coupons', 'lockReference'],
    },
    answer: ['success', 'burnedAt'],
  },
  'delete /coupons/{lockReference}': { security: both, answer: ['success', 'releasedAt', 'releasedCoupons'] },
  'post /orders': {
    security: both,
    request: {
      required: ['customerId', 'orderId', 'orderDate', 'totalPaid'],
      properties: [
        ...identity,
        'orderId',
        'orderDate',
        'totalPaid',
        'totalPrice',
        'totalDiscount',
        'totalShipping',
        'totalTax',
        'lineItems',
        'redemption',
        'extra',
        'merchant',
        'guest',
        'channel',
        'cartId',
        'cashbackConfigurations',
      ],
    },
    answer: ['customerId', 'redeemedPoints', 'rewardedPoints', 'lineItems'],
    items: { 'lineItems[]': ['productId', 'quantity', 'decimalPoints', 'points', 'score'] },
  },
  'post /customers': {
    security: apiKeyOnly,
    request: {
      required: ['customerId'],
      properties: [...identity, 'deviceToken', 'osType', 'customerAttributes', 'referrerCode', 'guest'],
    },
    answer: ['gameballId'],
  },
};

const document = contractDocument('gameball') as unknown as {
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, { in: string; name: string }> };
};

interface Operation {
  security?: Record<string, string[]>[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}

/** Follows internal $refs (the bundled document has no other kind). */
function resolve<T>(node: T): T {
  const ref = (node as { $ref?: string }).$ref;
  if (!ref) return node;
  const target = ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((at, key) => (at as Record<string, unknown>)[key], document);
  return resolve(target as T);
}

function at(schema: Schema, path: string): Schema {
  let here = resolve(schema);
  for (const step of path.split('.')) {
    const name = step.replace(/\[\]$/, '');
    here = resolve(here.properties?.[name] ?? {});
    if (step.endsWith('[]')) here = resolve(here.items ?? {});
  }
  return here;
}

const names = (schema: Schema): string[] => Object.keys(schema.properties ?? {}).sort();
const sorted = (list: string[]): string[] => [...list].sort();
const prefix = '/api/v4.0/integrations';
const operation = (key: string): Operation => {
  const [method, path] = key.split(' ') as [string, string];
  return document.paths[`${prefix}${path}`]![method]!;
};

describe("the Gameball document matches Gameball's published document", () => {
  it('covers exactly the operations of the table', () => {
    const ours = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method} ${path.slice(prefix.length)}`),
    );
    expect(sorted(ours)).toEqual(sorted(Object.keys(published)));
  });

  it('names the key headers as Gameball does: apikey and secretkey', () => {
    const schemes = document.components.securitySchemes;
    expect([schemes.apiKey, schemes.secretKey]).toMatchObject([
      { in: 'header', name: 'apikey' },
      { in: 'header', name: 'secretkey' },
    ]);
  });

  const table = Object.entries(published);
  const withRequest = table.filter(([, facts]) => facts.request);
  const withAnswer = table.filter(([, facts]) => facts.answer);
  const withItems = table.filter(([, facts]) => facts.items);

  it.each(table)('%s asks for the keys Gameball asks for', (key, facts) => {
    expect(operation(key).security?.map((requirement) => sorted(Object.keys(requirement)))).toEqual(facts.security);
  });

  it.each(withRequest)('%s requires and names the request fields as Gameball does', (key, facts) => {
    const schema = resolve(operation(key).requestBody!.content['application/json']!.schema);
    expect(sorted(schema.required ?? [])).toEqual(sorted(facts.request!.required));
    expect(names(schema)).toEqual(sorted([...facts.request!.properties, ...(facts.request!.projectAdds ?? [])]));
  });

  it.each(withAnswer)('%s answers 200 with exactly the properties Gameball documents', (key, facts) => {
    const schema = resolve(operation(key).responses['200']!.content!['application/json']!.schema);
    expect(names(schema)).toEqual(sorted(facts.answer!));
  });

  it.each(withItems)('%s describes the items of its answer with the fields Gameball documents', (key, facts) => {
    const schema = operation(key).responses['200']!.content!['application/json']!.schema;
    for (const [path, fields] of Object.entries(facts.items!)) {
      expect(names(at(schema, path)), path).toEqual(sorted(fields));
    }
  });

  it.each(table)("%s answers errors with the body of Gameball's error catalogue", (key) => {
    const errors = Object.entries(operation(key).responses).filter(([status]) => status !== '200');
    expect(errors.map(([status]) => status)).toEqual(expect.arrayContaining(['400', '401', '429']));
    for (const [, response] of errors) {
      expect(resolve(resolve(response).content!['application/json']!.schema)).toMatchObject({
        required: ['code', 'message'],
        properties: { code: {}, type: {}, message: {}, documentationUrl: {}, requestId: {} },
      });
    }
  });
});
