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
    const failed = exchanges.filter(
      (e, i) => e.response?.status !== 200 || !context.carriesCode(e, deliveries[i]!.values.code),
    );
    if (failed.length > 0) {
      const group = [...failed, ...exchanges.filter((e) => !failed.includes(e))];
      return fail(
        'burst-failed',
        `${failed.length} of ${burst} deliveries sent at once failed; one${onInstance(context, exchanges.indexOf(failed[0]!))} ${describeAnswer(failed[0]!)}.`,
        group,
      );
    }
    // Against several instances, each coupon must be readable through another instance than the one that answered.
    const unreadable = await unreadableElsewhere(context, deliveries, exchanges);
    if (unreadable) return verdictOf([unreadable], '');
    const serverErrors = context.exchanges().filter((e) => (e.response?.status ?? 0) >= 500).length;
    return pass(
      `${burst} at once: all 200 with their codes.${spreadNote(context)}${context.lookupInstances > 1 ? ' Each read back through another instance than the one that answered.' : ''}${serverErrors > 0 ? ` (${serverErrors} 5xx answer(s) earlier in the run are reported by the checks that met them.)` : ''}`,
    );
  },
};
