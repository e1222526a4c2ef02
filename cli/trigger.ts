import type { Command } from 'commander';

export function registerTrigger(program: Command): void {
  program
    .command('trigger')
    .description('not built yet')
    .action(() => {
      console.log('gb-coupon trigger: not built yet');
    });
}
