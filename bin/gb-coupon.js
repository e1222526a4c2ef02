#!/usr/bin/env node
// The gb-coupon command. The project is TypeScript run through tsx, so there is no build step
// between `npm ci` and a working CLI.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
