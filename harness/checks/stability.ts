// A campaign can hand out many coupons at once. (A 5xx elsewhere in the run is reported by the
// check that met it, once: a failure on a valid delivery, a warning on a deliberately broken one.)
import { type Check, describeAnswer, fail, pass, verdictOf } from './check.ts';
import { onInstance, spreadNote, unreadableElsewhere } from './fleet.ts';

const burst = 30;

export const stability: Check = {
  id: 'stability',
  title: `${burst} deliveries at once all answer 200 with their codes`,
  dependsOn: ['accepted'],
  async run(context) {
    const deliveries = Array.from({ length: burst }, (_, i) =>
      context.deliver(context.scenarios[i % context.scenarios.length]!),
    );
    // Against several instances the deliveries go to each in turn.
    const exchanges = await Promise.all(deliveries.map((d, i) => context.send(d.request, i)));
    // Judged in the order sent: in the merchant-code mode the second of two deliveries given one
    // code is the duplicate.
    const judged = exchanges.map((e, i) => ({ exchange: e, code: context.judgeCode(e, deliveries[i]!.values.code) }));
    const failed = judged.filter(({ exchange, code }) => exchange.response?.status !== 200 || !code.carries);
    if (failed.length > 0) {
      const group = [...failed, ...judged.filter((j) => !failed.includes(j))].map((j) => j.exchange);
      const duplicate = failed.find((j) => !j.code.carries && j.code.kind === 'duplicate-code');
      if (duplicate && !duplicate.code.carries) {
        const others = [duplicate.exchange, ...group.filter((e) => e !== duplicate.exchange)];
        return fail(
          'duplicate-code',
          `${failed.length} of ${burst} deliveries sent at once did not get a code of their own; one answered 200 but ${duplicate.code.reason}.`,
          others,
        );
      }
      return fail(
        'burst-failed',
        `${failed.length} of ${burst} deliveries sent at once failed; one${onInstance(context, exchanges.indexOf(failed[0]!.exchange))} ${describeAnswer(failed[0]!.exchange)}.`,
        group,
      );
    }
    // Against several instances, each coupon must be readable through another instance than the one that answered.
    const unreadable = await unreadableElsewhere(context, deliveries, exchanges);
    if (unreadable) return verdictOf([unreadable], '');
    const serverErrors = context.exchanges().filter((e) => (e.response?.status ?? 0) >= 500).length;
    const codes = context.codeMode === 'gameball' ? 'their codes' : 'a different code each';
    return pass(
      `${burst} at once: all 200 with ${codes}.${spreadNote(context)}${context.lookupInstances > 1 ? ' Each read back through another instance than the one that answered.' : ''}${serverErrors > 0 ? ` (${serverErrors} 5xx answer(s) earlier in the run are reported by the checks that met them.)` : ''}`,
    );
  },
};
