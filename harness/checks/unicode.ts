// Customers have names in every script: ids in Arabic script and with emoji must work, and with a
// lookup they must be stored as they were sent.
import { type Check, describeAnswer, fail, notAcceptedKind, pass, verdictOf } from './check.ts';
import { storedProblem } from './storage.ts';

const customerIds = ['عميل_أحمد_١٠٤٨٢', 'player-🎁-😀-✨', 'Müller-Łukasz-李雷'];

export const unicode: Check = {
  id: 'unicode',
  title: 'Customer ids in Arabic script and with emoji are accepted',
  dependsOn: ['accepted'],
  async run(context) {
    for (const playerUniqueId of customerIds) {
      const delivery = context.deliver(context.scenarios[0]!, { playerUniqueId });
      const exchange = await context.send(delivery.request);
      const judgement = context.judgeCode(exchange, delivery.values.code);
      if (exchange.response?.status !== 200 || !judgement.carries) {
        return fail(
          exchange.response?.status !== 200
            ? notAcceptedKind(exchange)
            : judgement.carries
              ? 'code-missing'
              : judgement.kind,
          `A delivery for customer "${playerUniqueId}" ${describeAnswer(exchange)}; it must answer 200 with the code.`,
          exchange,
        );
      }
      // With a lookup, the id must be stored as it was sent, not with its letters replaced by "?"; the
      // coupon is read back under the code the answer carries (the merchant's own, without {{code}}).
      const stored = await storedProblem(context, judgement.code, 1, [exchange], undefined, delivery.values);
      if (stored) return verdictOf([stored], '');
    }
    return pass(
      `${customerIds.join(', ')}: 200 with the code.${context.lookup ? ' The lookup finds each stored as sent.' : ''}`,
    );
  },
};
