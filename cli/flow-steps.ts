// The seed's custom-UI flow, one small named step at a time, through the typed Gameball client:
// push the configuration, read the redemption options, redeem a rule (Adam: 500 points for 10%
// off), see Gameball's call reach the merchant, list the coupons, validate with a lock, place the
// order that burns it, award a campaign coupon (Sarah: $20 off) and see it listed. Each answer is
// checked against the Gameball document. A step whose input a failed step should have made is
// skipped, saying which.
import type { CouponConfiguration } from '../core/config/coupon-configuration.ts';
import { type CheckVerdict, fail, pass, skip } from '../harness/checks/check.ts';
import { responseBodyValidator } from '../openapi/contract.ts';
import type { components, paths } from '../openapi/generated/gameball.ts';
import { compare } from './config-push.ts';
import { checkAnswer, type GameballConnection } from './gameball-connection.ts';

export interface FlowState {
  connection: GameballConnection;
  config: CouponConfiguration;
  /** True when Gameball is a gb-coupon mock, whose control plane (/__gb/) the flow can use. */
  standIn: boolean;
  /** The stand-in's control token (--control-token), when its control plane needs one. */
  controlToken?: string | undefined;
  adam: string;
  sarah: string;
  rule?: components['schemas']['RedemptionRule'] | undefined;
  code?: string;
  lockReference?: string;
  campaignCode?: string;
}

export interface FlowStep {
  id: string;
  title: string;
  /** The state fields the step needs, set by earlier steps. */
  needs: (keyof FlowState)[];
  /** Passes, fails (kind `step-failed`) or skips itself when it does not apply to this Gameball. */
  run(state: FlowState): Promise<CheckVerdict>;
}

const base = '/api/v4.0/integrations';
/** A step that failed: what Gameball (or the merchant behind it) did instead. */
export const stepFailed = (message: string): CheckVerdict => fail('step-failed', message);

/** An answer that is not a conforming 200, in a sentence; undefined when it is one. */
function refusal(
  what: string,
  method: string,
  path: keyof paths,
  response: Response,
  body: unknown,
): string | undefined {
  const answer = checkAnswer(method, path, response, body);
  if (answer.status !== 200) return `${what}: Gameball answered ${answer.status}: ${answer.error}`;
  if (answer.problems.length > 0) {
    return `${what}: the answer does not match Gameball's document: ${answer.problems.join('; ')}.`;
  }
  return undefined;
}

async function control(state: FlowState, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${state.connection.url}${path}`, {
    method,
    headers: {
      ...controlHeaders(state.controlToken),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
}

/** What a stand-in's control plane needs when it was started with --control-token. */
export function controlHeaders(token: string | undefined): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

export const flowSteps: FlowStep[] = [
  {
    id: 'push-configuration',
    title: 'PUT the coupon configuration, GET it back unchanged',
    needs: [],
    async run(state) {
      const path = `${base}/configurations/coupon` as const;
      const put = await state.connection.client.PUT(path, { body: state.config });
      const putRefused = refusal('PUT /configurations/coupon', 'put', path, put.response, put.error);
      if (putRefused) return stepFailed(putRefused);
      const get = await state.connection.client.GET(path);
      const getRefused = refusal('GET /configurations/coupon', 'get', path, get.response, get.data ?? get.error);
      if (getRefused || !get.data) return stepFailed(getRefused ?? 'GET /configurations/coupon answered no body.');
      const differences = compare(state.config, get.data);
      if (differences.length > 0) return stepFailed(`Gameball holds another configuration: ${differences.join('; ')}.`);
      return pass(`Gameball holds the configuration for ${state.config.method} ${state.config.url}.`);
    },
  },
  {
    id: 'redemption-options',
    title: 'Fetch the redemption options Adam can choose from',
    needs: [],
    async run(state) {
      const path = `${base}/configurations/redemption` as const;
      const { data, error, response } = await state.connection.client.GET(path, {
        params: { query: { customerId: state.adam } },
      });
      const refused = refusal('GET /configurations/redemption', 'get', path, response, data ?? error);
      if (refused || !data) return stepFailed(refused ?? 'GET /configurations/redemption answered no body.');
      const rules = (data.redemptionRules ?? []).filter((rule) => rule.isActive !== false && rule.id !== undefined);
      // Adam's story: 500 points for 10% off; otherwise the cheapest active rule.
      state.rule =
        rules.find((r) => r.coupon?.couponType === 'percentage_discount' && r.coupon.discountValue === 10) ??
        [...rules].sort((a, b) => (a.pointsToRedeem ?? 0) - (b.pointsToRedeem ?? 0))[0];
      if (!state.rule)
        return stepFailed('The account offers no active redemption rule, so there is nothing to redeem.');
      return pass(
        `${rules.length} rules; Adam takes rule ${state.rule.id} (${state.rule.coupon?.options?.name ?? state.rule.coupon?.couponType}, ${state.rule.pointsToRedeem} points).`,
      );
    },
  },
  {
    id: 'redeem',
    title: 'Adam redeems the rule; Gameball calls the merchant for the code',
    needs: ['rule'],
    async run(state) {
      const path = `${base}/coupons/predefined` as const;
      const { data, error, response } = await state.connection.client.POST(path, {
        body: { customerId: state.adam, ruleId: state.rule!.id! },
      });
      const refused = refusal('POST /coupons/predefined', 'post', path, response, data ?? error);
      if (refused || !data?.code) return stepFailed(refused ?? 'POST /coupons/predefined answered no code.');
      state.code = data.code;
      return pass(`Coupon ${data.code}, valid until ${data.expiryDate ?? 'it is used'}.`);
    },
  },
  {
    id: 'merchant-delivery',
    title: "Gameball's call reached the merchant: 200 with the code",
    needs: ['code'],
    async run(state) {
      if (!state.standIn) {
        return skip(
          `A real Gameball keeps no log of its calls to your endpoint: look for code ${state.code} in your endpoint's own log.`,
        );
      }
      const response = await control(state, 'GET', `/__gb/deliveries?customerId=${encodeURIComponent(state.adam)}`);
      const body = (await response.json()) as {
        deliveries: { code: string; accepted: boolean; verdict: string; request: { url: string }; latencyMs: number }[];
      };
      const validate = responseBodyValidator('gameball-mock-control', 'get', '/__gb/deliveries', '200');
      if (response.status !== 200 || !validate(body))
        return stepFailed('GET /__gb/deliveries did not answer its documented shape.');
      const delivery = body.deliveries.find((d) => d.code === state.code);
      if (!delivery) return stepFailed(`No call to the merchant carried the code ${state.code}.`);
      if (!delivery.accepted) return stepFailed(delivery.verdict);
      return pass(`${delivery.request.url} answered 200 with ${state.code} in ${Math.round(delivery.latencyMs)} ms.`);
    },
  },
  {
    id: 'customer-coupons',
    title: "The coupon is in Adam's coupons, available to use",
    needs: ['code'],
    async run(state) {
      const coupon = await listedCoupon(state, state.adam, "Adam's", state.code!);
      if (typeof coupon === 'string') return stepFailed(coupon);
      if (coupon.isAvailableToUse === false) return stepFailed(`${state.code} is listed but not available to use.`);
      return pass(`${state.code} is listed (${coupon.type}, ${coupon.value}).`);
    },
  },
  {
    id: 'validate-lock',
    title: 'At checkout the code validates and is locked',
    needs: ['code'],
    async run(state) {
      const path = `${base}/coupons/{code}/validate` as const;
      const { data, error, response } = await state.connection.client.POST(path, {
        params: { path: { code: state.code! } },
        body: { customerId: state.adam, lock: true },
      });
      const refused = refusal(`POST /coupons/${state.code}/validate`, 'post', path, response, data ?? error);
      if (refused || !data) return stepFailed(refused ?? 'The validation answered no body.');
      if (data.valid !== true) return stepFailed(`Gameball says ${state.code} is not valid.`);
      if (!data.lockReference)
        return stepFailed('The validation asked for a lock but Gameball answered no lockReference.');
      state.lockReference = data.lockReference;
      return pass(`Valid, locked as ${data.lockReference} until ${data.dateToExpire ?? '(no expiry given)'}.`);
    },
  },
  {
    id: 'order-burns',
    title: 'The order that used the lock burns the coupon',
    needs: ['lockReference'],
    async run(state) {
      const path = `${base}/orders` as const;
      const { data, error, response } = await state.connection.client.POST(path, {
        body: {
          customerId: state.adam,
          orderId: `ORD-${state.adam}`,
          orderDate: new Date().toISOString(),
          totalPrice: 450,
          totalDiscount: 45,
          totalPaid: 405,
          redemption: { couponsLockReference: state.lockReference! },
        },
      });
      const refused = refusal('POST /orders', 'post', path, response, data ?? error);
      if (refused) return stepFailed(refused);
      const listed = await listCoupons(state, state.adam);
      if (typeof listed === 'string') return stepFailed(listed);
      const coupon = listed.find((c) => c.code === state.code);
      if (coupon?.isAvailableToUse !== false) {
        return stepFailed(`After the order, ${state.code} is still available to use: the lock did not burn it.`);
      }
      return pass(`Order tracked (${data?.rewardedPoints ?? 0} points rewarded); ${state.code} is used.`);
    },
  },
  {
    id: 'campaign-award',
    title: 'Sarah earns $20 off from a mission; the merchant creates it',
    needs: [],
    async run(state) {
      if (!state.standIn) {
        return skip('Campaign rewards come from your campaigns on a real Gameball; there is no API to award one.');
      }
      const response = await control(state, 'POST', '/__gb/campaigns/award', {
        customerId: state.sarah,
        couponType: 'fixed',
        value: 20,
      });
      const body = (await response.json()) as { code?: string; message?: string };
      if (response.status !== 200 || !body.code) {
        return stepFailed(`POST /__gb/campaigns/award: answered ${response.status}: ${body.message ?? 'no code'}`);
      }
      state.campaignCode = body.code;
      return pass(`Coupon ${body.code} created by the merchant.`);
    },
  },
  {
    id: 'campaign-listed',
    title: "Sarah's $20 coupon is in her coupons",
    needs: ['campaignCode'],
    async run(state) {
      const coupon = await listedCoupon(state, state.sarah, "Sarah's", state.campaignCode!);
      if (typeof coupon === 'string') return stepFailed(coupon);
      return pass(`${state.campaignCode} is listed (${coupon.type}, ${coupon.value}).`);
    },
  },
];

/** The coupon with `code` among the customer's coupons, or why it is not there. */
async function listedCoupon(
  state: FlowState,
  customerId: string,
  whose: string,
  code: string,
): Promise<components['schemas']['CustomerCoupon'] | string> {
  const listed = await listCoupons(state, customerId);
  if (typeof listed === 'string') return listed;
  return listed.find((c) => c.code === code) ?? `${code} is not among ${whose} ${listed.length} coupons.`;
}

async function listCoupons(
  state: FlowState,
  customerId: string,
): Promise<components['schemas']['CustomerCoupon'][] | string> {
  const path = `${base}/customers/{customerId}/coupons` as const;
  const { data, error, response } = await state.connection.client.GET(path, {
    params: { path: { customerId } },
  });
  const refused = refusal(`GET /customers/${customerId}/coupons`, 'get', path, response, data ?? error);
  return refused ?? data?.coupons ?? [];
}
