// What every check of a run is given: the same configuration, scenarios and code generator, and a
// `send` that records each exchange (under the check's id) for stability, latency and the reports.
// The code mode is read once: with {{code}} an answer must carry the code sent; without, the
// merchant's own code, and one register of the run's codes finds a code given to two deliveries.
import { usesDefaultTemplate } from '../../core/config/default-configuration.ts';
import { atInstance, perInstance } from '../../core/http/instances.ts';
import { type Exchange, sendRequest, withShortBody } from '../../core/http/send-request.ts';
import { codeRegister, duplicateCodeReason, judgeDistinct } from '../../core/judge/distinct-codes.ts';
import { type CodeLocation, findCode, findMerchantCode } from '../../core/judge/find-code.ts';
import { codeLocationOf, judge } from '../../core/judge/judge.ts';
import { type CodeMode, codeModeOf, expectedCodeOf } from '../../core/render/code-mode.ts';
import {
  type CouponValues,
  type RenderedRequest,
  renderDelivery,
  signBody,
} from '../../core/render/render-delivery.ts';
import { avoidedBy, codeGenerator, scenarioValues, seededRandom } from '../../core/scenarios/scenarios.ts';
import type { AnswerCode, Check, CheckContext, Delivery, RecordedExchange } from '../checks/check.ts';
import { readBack } from './lookup.ts';
import { bodyShown } from './reproduce.ts';
import type { RunPlan } from './run-plan.ts';

/** The contexts of one run: they share its code generator and its log of exchanges. */
export function contextsFor(plan: RunPlan): { contextFor: (check: Check) => CheckContext; log: RecordedExchange[] } {
  const { config, options } = plan;
  const log: RecordedExchange[] = [];
  const nextCode = codeGenerator(seededRandom(plan.seed), avoidedBy(plan.scenarios));
  const defaultTemplate = usesDefaultTemplate(config);
  const codeLocation = codeLocationOf(config, options.codePointer);
  const render = (values: CouponValues): RenderedRequest =>
    renderDelivery(config, values, options.signingSecret ? { signingSecret: options.signingSecret } : {});
  const { instances } = plan;
  const send = async (request: RenderedRequest, checkId: string, instance = 0): Promise<Exchange> => {
    const at = instances[instance % instances.length]!;
    const sent = instance % instances.length === 0 ? request : { ...request, url: atInstance(request.url, at) };
    const exchange = await sendRequest(sent, {
      timeoutMs: plan.timeoutMs,
      ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
    });
    // The run keeps every exchange (for stability and latency) but only the part of a body a report shows.
    log.push({ ...withShortBody(exchange, bodyShown), checkId, ...(instances.length > 1 ? { instance: at } : {}) });
    return exchange;
  };
  const { lookup } = plan;
  const lookupUrls = lookup ? perInstance(lookup.url, instances) : [];
  const judging = judgesOf(codeModeOf(config), codeLocation);

  const contextFor = (check: Check): CheckContext => ({
    config,
    scenarios: plan.scenarios,
    usesDefaultTemplate: defaultTemplate,
    codeMode: judging.mode,
    latencyBudgetMs: plan.latencyBudgetMs,
    deliver(scenario, changes = {}) {
      const values: CouponValues = { ...scenarioValues(scenario, nextCode(scenario.codePrefix)), ...changes };
      return { scenario, values, request: render(values) };
    },
    redeliver(delivery: Delivery, changes) {
      const values = { ...delivery.values, ...changes };
      return { scenario: delivery.scenario, values, request: render(values) };
    },
    withBody(request, body, bodyShell) {
      const headers = { ...request.headers };
      if (options.signingSecret) headers['x-gb-signature'] = signBody(body, options.signingSecret);
      return { ...request, headers, body, ...(bodyShell ? { bodyShell } : {}) };
    },
    instances,
    send: (request, instance) => send(request, check.id, instance),
    judge: (exchange, code) => judging.judge(exchange, code, check.id),
    judgeCode: (exchange, code) => judging.judgeCode(exchange, code, check.id),
    carriesCode: (exchange, code) => judging.judgeCode(exchange, code, check.id).carries,
    ...(lookup
      ? {
          lookup: (code: string, instance = 0) =>
            readBack({ ...lookup, url: lookupUrls[instance % instances.length]! }, code, config, plan.timeoutMs),
        }
      : {}),
    lookupInstances: new Set(lookupUrls).size,
    exchanges: () => log,
  });
  return { contextFor, log };
}

/** A delivery of the run: its code (the kit's name for it) and the check that sent it first. */
interface DeliveryTag {
  code: string;
  checkId: string;
}

/**
 * The run's judgements, by the delivery's code. In the merchant-code mode every code an answer
 * carries is claimed for its delivery, whichever check sent it, so a code given to two deliveries is
 * a `duplicate-code` wherever the second one is judged; a repeat of one delivery may get its code again.
 */
function judgesOf(mode: CodeMode, location: CodeLocation) {
  const register = codeRegister<DeliveryTag>();
  const tags = new Map<string, DeliveryTag>();
  const tagOf = (code: string, checkId: string): DeliveryTag => {
    const known = tags.get(code);
    if (known) return known;
    const tag = { code, checkId };
    tags.set(code, tag);
    return tag;
  };
  const earlier = (tag: DeliveryTag): string => `a delivery of the ${tag.checkId} check`;
  return {
    mode,
    judge(exchange: Exchange, code: string, checkId: string) {
      const verdict = judge(exchange, { expectedCode: expectedCodeOf(mode, code) }, location);
      return mode === 'merchant' ? judgeDistinct(verdict, register, tagOf(code, checkId), earlier) : verdict;
    },
    judgeCode(exchange: Exchange, code: string, checkId: string): AnswerCode {
      if (mode === 'gameball') {
        const found = findCode(exchange.response, code, location);
        return found.carries ? { ...found, code } : found;
      }
      const found = findMerchantCode(exchange.response, location);
      if (!found.carries) return found;
      const holder = register.claim(found.code, tagOf(code, checkId));
      if (holder === undefined) return found;
      return { carries: false, kind: 'duplicate-code', reason: duplicateCodeReason(found.code, earlier(holder)) };
    },
  };
}
