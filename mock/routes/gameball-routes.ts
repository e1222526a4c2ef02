// The operations of Gameball's document the stand-in owns, with real state behind them, by area.
// Bodies arrive validated against the document's request schemas (see start-mock.ts); every other
// operation of the document answers from its examples (example-routes.ts).
import { couponRoutes } from './coupon-routes.ts';
import { customerRoutes } from './customer-routes.ts';
import { orderRoutes } from './order-routes.ts';
import { pointsRoutes } from './points-routes.ts';
import type { Route } from './route.ts';

export const gameballRoutes: Route[] = [...couponRoutes, ...customerRoutes, ...pointsRoutes, ...orderRoutes];
