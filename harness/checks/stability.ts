// A campaign can hand out many coupons at once; and a server error is never acceptable.
import { type Check, describeAnswer, fail, pass } from './check.ts';

const burst = 30;

export const stability: Check = {
  id: 'stability',
  title: `${burst} deliveries at once all succeed; no 5xx in the whole run`,
  async run(context) {
    const deliveries = Array.from({ length: burst }, (_, i) =>
      context.deliver(context.scenarios[i % context.scenarios.length]!),
    );
    const exchanges = await Promise.all(deliveries.map((d) => context.send(d.request)));
    const failed = exchanges.filter(
      (e, i) => e.response?.status !== 200 || !context.carriesCode(e, deliveries[i]!.values.code),
    );
    if (failed.length > 0) {
      return fail(
        `${failed.length} of ${burst} deliveries sent at once failed; one ${describeAnswer(failed[0]!)}.`,
        failed[0],
      );
    }
    const serverErrors = context.exchanges().filter((e) => (e.response?.status ?? 0) >= 500);
    if (serverErrors.length > 0) {
      const byCheck = [...new Set(serverErrors.map((e) => e.checkId))].join(', ');
      return fail(
        `${serverErrors.length} request(s) in this run answered 5xx (during ${byCheck}); the first ${describeAnswer(serverErrors[0]!)}. A client's mistake must be a 4xx, and a valid delivery a 200.`,
        serverErrors[0],
      );
    }
    return pass(`${burst} at once: all 200 with their codes; no 5xx in ${context.exchanges().length} requests.`);
  },
};
