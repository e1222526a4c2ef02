// Gameball acts on exactly one thing: a 200 whose body carries the coupon code.
import { describeErrors, responseBodyValidator } from '../../openapi/contract.ts';
import type { components } from '../../openapi/generated/gameball.ts';
import { bodyNote } from '../http/body-note.ts';
import { type Check, describeAnswer, fail, pass, skip } from './check.ts';

export const accepted: Check = {
  id: 'accepted',
  title: 'Each enabled coupon type answers exactly 200 with the code',
  async run(context) {
    for (const scenario of context.scenarios) {
      const delivery = context.deliver(scenario);
      const exchange = await context.send(delivery.request);
      if (exchange.response?.status !== 200) {
        return fail(
          `Scenario "${scenario.title}" (${scenario.couponKind}) ${describeAnswer(exchange)}; Gameball treats anything but 200 as a failed coupon.`,
          exchange,
        );
      }
      if (!context.carriesCode(exchange, delivery.values.code)) {
        return fail(
          `Scenario "${scenario.title}" answered 200 but the body does not carry the code ${delivery.values.code}; Gameball shows the customer the code from your answer.`,
          exchange,
        );
      }
    }
    return pass(`${context.scenarios.map((s) => s.id).join(', ')}: 200 with the code each time.`);
  },
};

const validateCreated = responseBodyValidator<components['schemas']['CouponCreated']>(
  'gameball',
  'post',
  'couponDelivery',
  '200',
);

export const responseConformance: Check = {
  id: 'response-conformance',
  title: 'The answer is JSON matching the contract (couponCode)',
  async run(context) {
    if (!context.usesDefaultTemplate) {
      const notUtf8 = context.exchanges().find((e) => e.response?.status === 200 && e.response.invalidUtf8);
      return skip(
        `The configuration uses its own payload template, so the contract's response schema does not apply.${notUtf8 ? ' But a 200 answer of this run is not valid UTF-8: if your answer is JSON it must be UTF-8, and Gameball may misread the code.' : ''}`,
      );
    }
    const scenario = context.scenarios[0]!;
    const delivery = context.deliver(scenario);
    const exchange = await context.send(delivery.request);
    const response = exchange.response;
    if (response?.status !== 200) {
      return fail(`The delivery ${describeAnswer(exchange)}, so there is no answer to check.`, exchange);
    }
    if (response.truncated) {
      return fail(
        `The answer's body is larger than the part kept (${bodyNote(response)}), so it cannot be read as JSON; raise --max-body if the answer really is this large.`,
        exchange,
      );
    }
    if (response.invalidUtf8) {
      return fail(
        'The answer is not valid UTF-8; JSON must be UTF-8 (RFC 8259), so Gameball cannot rely on reading it.',
        exchange,
      );
    }
    const contentType = response.headers['content-type'] ?? '';
    if (!/^application\/([\w.+-]*\+)?json\b/i.test(contentType)) {
      return fail(`The answer's content type is "${contentType || 'missing'}"; it must be application/json.`, exchange);
    }
    if (response.json === undefined) return fail('The answer says it is JSON but does not parse as JSON.', exchange);
    if (!validateCreated(response.json)) {
      const problems = describeErrors(validateCreated.errors).map((p) => `${p.field || '(body)'} ${p.message}`);
      return fail(`The answer does not match the contract: ${problems.join('; ')}.`, exchange);
    }
    const code = response.json.couponCode;
    if (code !== delivery.values.code) {
      return fail(`couponCode is "${code}", not the code Gameball sent (${delivery.values.code}).`, exchange);
    }
    return pass('application/json, couponCode equal to the code sent.');
  },
};
