// What every check of a run is given: the same configuration, scenarios and code generator, and a
// `send` that records each exchange (under the check's id) for stability, latency and the reports.
import { usesDefaultTemplate } from '../../core/config/default-configuration.ts';
import { atInstance, perInstance } from '../../core/http/instances.ts';
import { type Exchange, sendRequest, withShortBody } from '../../core/http/send-request.ts';
import { findCode } from '../../core/judge/find-code.ts';
import { codeLocationOf, judge } from '../../core/judge/judge.ts';
import {
  type CouponValues,
  type RenderedRequest,
  renderDelivery,
  signBody,
} from '../../core/render/render-delivery.ts';
import { codeGenerator, scenarioValues, seededRandom } from '../../core/scenarios/scenarios.ts';
import type { Check, CheckContext, Delivery, RecordedExchange } from '../checks/check.ts';
import { readBack } from './lookup.ts';
import { bodyShown } from './reproduce.ts';
import type { RunPlan } from './run-plan.ts';

/** The contexts of one run: they share its code generator and its log of exchanges. */
export function contextsFor(plan: RunPlan): { contextFor: (check: Check) => CheckContext; log: RecordedExchange[] } {
  const { config, options } = plan;
  const log: RecordedExchange[] = [];
  const nextCode = codeGenerator(seededRandom(plan.seed));
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

  const contextFor = (check: Check): CheckContext => ({
    config,
    scenarios: plan.scenarios,
    usesDefaultTemplate: defaultTemplate,
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
    judge: (exchange, code) => judge(exchange, { expectedCode: code }, codeLocation),
    judgeCode: (exchange, code) => findCode(exchange.response, code, codeLocation),
    carriesCode: (exchange, code) => findCode(exchange.response, code, codeLocation).carries,
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
