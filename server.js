// Package entry for `import { startServer } from 'gameball-coupon-kit/server'` (see index.js).
import { register } from 'tsx/esm/api';

const tsx = register({ namespace: 'gameball-coupon-kit-server' });
const server = await tsx.import('./server/index.ts', import.meta.url);

export const { startServer, createServer, defaults } = server;
