import type { Command } from 'commander';

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('not built yet')
    .action(() => {
      console.log('gb-coupon verify: not built yet');
    });
}
