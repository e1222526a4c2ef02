// One customer's requests run one at a time: a queue per customer, in process. Each step of the
// lifecycle that reads a customer's points and writes to them runs through it (and within one
// store transaction), so two requests at once can never both spend the same points. A redemption
// leaves the queue while the merchant is called: its points are held by then, in the store.

export type CustomerQueue = <T>(customerId: string, work: () => T | Promise<T>) => Promise<T>;

export function createCustomerQueue(): CustomerQueue {
  // The tail of each customer's queue; removed when the queue empties, so it holds only busy customers.
  const tails = new Map<string, Promise<unknown>>();
  return (customerId, work) => {
    const previous = tails.get(customerId) ?? Promise.resolve();
    const run = previous.then(work);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    tails.set(customerId, tail);
    void tail.then(() => {
      if (tails.get(customerId) === tail) tails.delete(customerId);
    });
    return run;
  };
}
