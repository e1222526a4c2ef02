// Gameball acts on exactly one thing: a 200 whose body carries the coupon code. `accepted` is also
// the run's preflight: it establishes that the endpoint answers at all, and every check that sends
// deliveries depends on it, so a dead port or a 201 is reported once, not once per check.

import { bodyNote } from '../../core/http/body-note.ts';
import { describeErrors, responseBodyValidator } from '../../openapi/contract.ts';
import type { components } from '../../openapi/generated/gameball.ts';
import { type Check, describeAnswer, fail, notAcceptedKind, pass, skip } from './check.ts';

export const accepted: Check = {
  id: 'accepted',
  title: 'Each enabled coupon type answers exactly 200 with the code',
  dependsOn: ['template'],
  async run(context) {
    const places = new Set<string>();
    for (const scenario of context.scenarios) {
      const delivery = context.deliver(scenario);
      const exchange = await context.send(delivery.request);
      if (exchange.response?.status !== 200) {
        return fail(
          notAcceptedKind(exchange),
          `Scenario "${scenario.title}" (${scenario.couponKind}) ${describeAnswer(exchange)}; Gameball treats anything but 200 as a failed coupon.`,
          exchange,
        );
      }
      const judgement = context.judgeCode(exchange, delivery.values.code);
      if (!judgement.carries) {
        const note = bodyNote(exchange.response);
        return fail(
          judgement.kind,
          `Scenario "${scenario.title}" answered 200 but ${judgement.reason}${note ? ` (${note})` : ''}; Gameball shows the customer the code from your answer.`,
          exchange,
        );
      }
      if (judgement.pointer !== null) places.add(judgement.pointer);
    }
    const ids = context.scenarios.map((s) => s.id).join(', ');
    if (context.usesDefaultTemplate || places.size === 0) return pass(`${ids}: 200 with the code each time.`);
    const where = [...places].join(', ');
    return pass(
      `${ids}: 200 with the code each time, at ${where}${places.size === 1 ? ` (pin it with --code-pointer ${where})` : ''}.`,
    );
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
  dependsOn: ['accepted'],
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
      return fail(
        notAcceptedKind(exchange),
        `The delivery ${describeAnswer(exchange)}, so there is no answer to check.`,
        exchange,
      );
    }
    if (response.truncated) {
      return fail(
        'body-truncated',
        `The answer's body is larger than the part kept (${bodyNote(response)}), so it cannot be read as JSON; raise --max-body if the answer really is this large.`,
        exchange,
      );
    }
    if (response.invalidUtf8) {
      return fail(
        'body-not-utf8',
        'The answer is not valid UTF-8; JSON must be UTF-8 (RFC 8259), so Gameball cannot rely on reading it.',
        exchange,
      );
    }
    const contentType = response.headers['content-type'] ?? '';
    if (!/^application\/([\w.+-]*\+)?json\b/i.test(contentType)) {
      return fail(
        'content-type-not-json',
        `The answer's content type is "${contentType || 'missing'}"; it must be application/json.`,
        exchange,
      );
    }
    // Parsed once (each read of `json` parses again): an answer may be 1 MiB of nested JSON.
    const json = response.json;
    if (json === undefined)
      return fail('body-not-json', 'The answer says it is JSON but does not parse as JSON.', exchange);
    if (!validateCreated(json)) {
      const problems = describeErrors(validateCreated.errors).map((p) => `${p.field || '(body)'} ${p.message}`);
      return fail('schema-mismatch', `The answer does not match the contract: ${problems.join('; ')}.`, exchange);
    }
    const code = json.couponCode;
    if (code !== delivery.values.code) {
      return fail(
        'code-missing',
        `couponCode is "${code}", not the code Gameball sent (${delivery.values.code}).`,
        exchange,
      );
    }
    return pass('application/json, couponCode equal to the code sent.');
  },
};
