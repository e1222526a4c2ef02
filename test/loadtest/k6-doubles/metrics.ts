// Double of `k6/metrics`: custom metrics record what is added to them.
import { recorded } from './recorder.ts';

class Metric {
  constructor(readonly name: string) {}
  add(value: number | boolean): void {
    recorded.metrics.push({ name: this.name, value: Number(value) });
  }
}

export class Counter extends Metric {}
export class Rate extends Metric {}
export class Trend extends Metric {}
export class Gauge extends Metric {}
