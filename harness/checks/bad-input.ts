// A broken delivery must be refused with a 4xx and a JSON body, and must leave nothing behind.
// The contract leaves open whether a schema violation is 400 or 422 and how errors are worded.
import { paddedBody } from '../http/curl-command.ts';
import type { Exchange } from '../http/send-request.ts';
import type { RenderedRequest } from '../render/render-delivery.ts';
import { type Check, type CheckContext, type Delivery, describeAnswer, fail, isClientError, pass } from './check.ts';

interface BadCase {
  name: string;
  request: RenderedRequest;
}

const oversizeBytes = 1024 * 1024 + 64 * 1024;

function withoutCodeField(context: CheckContext, delivery: Delivery): RenderedRequest | undefined {
  const body = JSON.parse(delivery.request.body ?? '{}') as Record<string, unknown>;
  const key = Object.keys(body).find((k) => body[k] === delivery.values.code);
  if (!key) return undefined;
  delete body[key];
  return context.withBody(delivery.request, JSON.stringify(body));
}

/**
 * A broken value only breaks the delivery if the template carries it: with a template that leaves
 * `{{value}}` out, "value -10" renders exactly like a valid delivery and must not be judged.
 */
function carriesChange(context: CheckContext, broken: Delivery): boolean {
  const valid = context.redeliver(broken, { value: broken.scenario.values.value });
  return valid.request.body !== broken.request.body || valid.request.url !== broken.request.url;
}

function badCases(context: CheckContext): { cases: BadCase[]; notSent: string[]; rejectedThenValid?: Delivery } {
  const percentage = context.scenarios.find((s) => s.couponKind === 'percentage');
  const fixed = context.scenarios.find((s) => s.couponKind === 'fixed') ?? context.scenarios[0]!;
  const base = context.deliver(context.scenarios[0]!);
  const cases: BadCase[] = [];
  const notSent: string[] = [];
  cases.push({
    name: 'malformed JSON',
    request: context.withBody(base.request, `${base.request.body!.slice(0, -7)},,}`),
  });
  const missing = withoutCodeField(context, context.deliver(context.scenarios[0]!));
  if (missing) cases.push({ name: 'the code field missing', request: missing });
  else notSent.push('the code field missing (the template has no field holding the code alone)');
  const valueCases: [string, Delivery][] = [
    ['value of the wrong type ("ten")', context.deliver(fixed, { value: 'ten' as unknown as number })],
    ['negative value (-10)', context.deliver(fixed, { value: -10 })],
  ];
  let overHundred: Delivery | undefined;
  if (percentage) {
    overHundred = context.deliver(percentage, { value: 150 });
    valueCases.push(['percentage above 100 (150)', overHundred]);
  }
  for (const [name, broken] of valueCases) {
    if (carriesChange(context, broken)) {
      cases.push({ name, request: broken.request });
    } else {
      notSent.push(`${name} (the template does not carry {{value}})`);
      if (broken === overHundred) overHundred = undefined;
    }
  }
  const large = context.deliver(context.scenarios[0]!);
  const padded = paddedBody(large.request.body!, oversizeBytes);
  cases.push({ name: 'a body over 1 MiB', request: context.withBody(large.request, padded.body, padded.bodyShell) });
  return { cases, notSent, ...(overHundred ? { rejectedThenValid: overHundred } : {}) };
}

function isJsonAnswer(exchange: Exchange): boolean {
  return exchange.response?.json !== undefined && typeof exchange.response.json === 'object';
}

export const badInput: Check = {
  id: 'bad-input',
  title: 'Broken deliveries get a JSON 4xx and store nothing',
  async run(context) {
    if (context.config.method === 'GET') {
      return pass('The configuration uses GET, which carries no body to break.');
    }
    const { cases, notSent, rejectedThenValid } = badCases(context);
    const failures: { name: string; exchange: Exchange; why: string }[] = [];
    for (const badCase of cases) {
      const exchange = await context.send(badCase.request);
      if (!isClientError(exchange)) {
        const status = exchange.response?.status;
        const why =
          status === 200
            ? 'was accepted (200)'
            : status !== undefined && status >= 500
              ? `caused a server error (${status})`
              : describeAnswer(exchange);
        failures.push({ name: badCase.name, exchange, why });
      } else if (!isJsonAnswer(exchange)) {
        failures.push({
          name: badCase.name,
          exchange,
          why: `answered ${exchange.response!.status} without a JSON body`,
        });
      }
    }
    if (failures.length > 0) {
      const first = failures[0]!;
      return fail(
        `${failures.map((f) => `${f.name} ${f.why}`).join('; ')}. Every broken delivery must be refused with a 4xx and a JSON error body.`,
        first.exchange,
      );
    }
    if (rejectedThenValid) {
      // If the refused delivery had left a partial coupon behind, its code would now conflict.
      const valid = context.redeliver(rejectedThenValid, { value: 15 });
      const exchange = await context.send(valid.request);
      if (exchange.response?.status !== 200 || !context.carriesCode(exchange, valid.values.code)) {
        return fail(
          `After refusing a percentage of 150 for ${valid.values.code}, a valid delivery of the same code ${describeAnswer(exchange)}: the refused delivery left something behind.`,
          exchange,
        );
      }
    }
    const skipped = notSent.length > 0 ? ` Not sent: ${notSent.join('; ')}.` : '';
    return pass(
      `${cases.map((c) => c.name).join(', ')}: each refused with a 4xx and a JSON body; nothing left behind.${skipped}`,
    );
  },
};
