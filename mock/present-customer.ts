// A customer in the shapes of Gameball's document: the public profile (no personal data), the
// details (with it), and the balance, read from the ledger. Referral codes and links are the
// stand-in's own (*inference*: Gameball makes them; the shop's address here is example.com's).
import type { components } from '../openapi/generated/gameball.ts';
import type { MockContext } from './context.ts';
import { pointsOf, worth } from './lifecycle/ledger.ts';
import type { CustomerRecord } from './lifecycle/records.ts';

type Schemas = components['schemas'];

/** The store's currency and what its points are called (*inference*: the account's settings). */
const currency = 'USD';
const pointsName = 'Points';

function referral(customer: CustomerRecord) {
  const code = `REF${customer.gameballId}`;
  return {
    referralCode: code,
    referralLink: `https://shop.example.com/?ref=${code}`,
    isReferred: false,
    dynamicReferralLink: `https://shop.example.com/r/${code}`,
  };
}

function orderAttributes(customer: CustomerRecord) {
  return {
    totalSpent: customer.orders.totalSpent,
    totalOrders: customer.orders.count,
    ...(customer.orders.lastOrderDate !== undefined ? { lastOrderDate: customer.orders.lastOrderDate } : {}),
  };
}

/** The attributes the public profile shows: none of them personal data. */
const publicAttributes = [
  'gender',
  'country',
  'city',
  'zip',
  'custom',
  'source',
  'utms',
  'devices',
  'paymentMethods',
] as const;

export function presentProfile(customer: CustomerRecord): Schemas['CustomerProfile'] {
  const attributes: NonNullable<Schemas['CustomerProfile']['customerAttributes']> = orderAttributes(customer);
  for (const key of publicAttributes) {
    if (customer.attributes[key] !== undefined) Object.assign(attributes, { [key]: customer.attributes[key] });
  }
  return {
    gameballId: customer.gameballId,
    customerId: customer.customerId,
    customerAttributes: attributes,
    ...referral(customer),
  };
}

export function presentDetails(customer: CustomerRecord): Schemas['CustomerDetails'] {
  const email = customer.attributes.email ?? customer.email;
  const mobile = customer.attributes.mobile ?? customer.mobile;
  return {
    customerId: customer.customerId,
    gameballId: customer.gameballId,
    customerAttributes: {
      ...customer.attributes,
      ...(email !== undefined ? { email } : {}),
      ...(mobile !== undefined ? { mobile } : {}),
      ...orderAttributes(customer),
    },
    ...referral(customer),
  };
}

export function presentBalance(context: MockContext, customerId: string): Schemas['CustomerBalance'] {
  const { balance, available } = pointsOf(context, customerId);
  const { earned } = context.store.ledger.totals(customerId, context.now().toISOString());
  return {
    totalPointsBalance: balance,
    totalPointsValue: worth(balance),
    availablePointsBalance: available,
    availablePointsValue: worth(available),
    pendingPoints: 0,
    pendingPointsValue: 0,
    currency,
    pointsName,
    totalEarnedPoints: earned,
  };
}
