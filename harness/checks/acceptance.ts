// Gameball acts on exactly one thing: a 200 whose body carries the coupon code, and for the default
// template the contract's JSON. Both checks report the one judge's verdict (core/judge/judge.ts):
// `accepted` its status and code, for every enabled coupon type; `response-conformance` the
// contract's rules, for one answer. `accepted` is also the run's preflight: it establishes that
// the endpoint answers at all, and every check that sends deliveries depends on it, so a dead port
// or a 201 is reported once, not once per check.

import { type Check, type Finding, fail, pass, skip, verdictOf } from './check.ts';

export const accepted: Check = {
  id: 'accepted',
  title: 'Each enabled coupon type answers exactly 200 with the code',
  dependsOn: ['template'],
  async run(context) {
    const places = new Set<string>();
    for (const scenario of context.scenarios) {
      const delivery = context.deliver(scenario);
      const exchange = await context.send(delivery.request);
      const verdict = context.judge(exchange, delivery.values.code);
      // Here: a 200 carrying the code (in the merchant-code mode, one no other delivery got). The
      // judge's contract findings on a 200 that carries it (UTF-8, content type, schema) are
      // response-conformance's to report: one cause, said once.
      if (verdict.code === undefined || verdict.kind === 'duplicate-code') {
        return fail(verdict.kind, `Scenario "${scenario.title}" (${scenario.couponKind}): ${verdict.detail}`, exchange);
      }
      if (typeof verdict.pointer === 'string') places.add(verdict.pointer);
    }
    const ids = context.scenarios.map((s) => s.id).join(', ');
    const what = context.codeMode === 'gameball' ? 'the code' : 'a code of its own, a different one';
    if (context.usesDefaultTemplate || places.size === 0) return pass(`${ids}: 200 with ${what} each time.`);
    const where = [...places].join(', ');
    return pass(
      `${ids}: 200 with ${what} each time, at ${where}${places.size === 1 ? ` (pin it with --code-pointer ${where})` : ''}.`,
    );
  },
};

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
    const delivery = context.deliver(context.scenarios[0]!);
    const exchange = await context.send(delivery.request);
    const verdict = context.judge(exchange, delivery.values.code);
    if (verdict.kind === 'no-answer' || verdict.kind === 'status-not-200') {
      return fail(verdict.kind, `${verdict.detail} So there is no answer to check.`, exchange);
    }
    const findings: Finding[] = verdict.findings.map((finding) => ({
      ...finding,
      // The part kept is the run's --max-body: the one thing the user can change about it.
      message:
        finding.kind === 'body-truncated'
          ? `${finding.message} Raise --max-body if the answer really is this large.`
          : finding.message,
      evidence: [exchange],
    }));
    return verdictOf(
      findings,
      context.codeMode === 'gameball'
        ? 'application/json, couponCode equal to the code sent.'
        : "application/json, couponCode holding the merchant's own code.",
    );
  },
};
