// --target's addresses and the URLs each instance of a fleet is sent: what verify and load rely on
// to reach every instance with the configuration's own path and query.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.ts';
import { atInstance, instancesOf, perInstance } from '../../core/http/instances.ts';

describe('instance addresses', () => {
  it('lists the configuration url first, then each target once, by origin', () => {
    expect(
      instancesOf('https://shop.example/gameball/coupons?x=1', [
        'http://10.0.0.2:3000',
        'http://10.0.0.3:3000/',
        'https://shop.example',
        'http://10.0.0.2:3000',
      ]),
    ).toEqual(['https://shop.example', 'http://10.0.0.2:3000', 'http://10.0.0.3:3000']);
    expect(instancesOf('http://127.0.0.1:3001/coupons')).toEqual(['http://127.0.0.1:3001']);
  });

  it('refuses anything but the address of an instance, naming what it got', () => {
    const bad = [
      'http://10.0.0.2:3000/coupons',
      'http://10.0.0.2:3000/?a=1',
      'http://10.0.0.2:3000?',
      'http://10.0.0.2:3000#top',
      'http://user:secret@10.0.0.2:3000',
      'ftp://10.0.0.2',
      '10.0.0.2:3000',
      '',
    ];
    for (const target of bad) {
      expect(() => instancesOf('http://127.0.0.1:3001/coupons', [target])).toThrow(UsageError);
      expect(() => instancesOf('http://127.0.0.1:3001/coupons', [target])).toThrow(JSON.stringify(target));
    }
    expect(() => instancesOf('http://127.0.0.1:3001/coupons', 'http://10.0.0.2:3000' as never)).toThrow(UsageError);
  });

  it('sends each instance the same path and query, {code} kept', () => {
    expect(atInstance('https://shop.example/gameball/coupons?store=eg&x=%20', 'http://10.0.0.2:3000')).toBe(
      'http://10.0.0.2:3000/gameball/coupons?store=eg&x=%20',
    );
    expect(
      perInstance('http://127.0.0.1:3001/coupons/{code}', ['http://127.0.0.1:3001', 'http://127.0.0.1:3002']),
    ).toEqual(['http://127.0.0.1:3001/coupons/{code}', 'http://127.0.0.1:3002/coupons/{code}']);
  });

  it('leaves a lookup on another host as it is, for every instance', () => {
    expect(
      perInstance('https://admin.example/coupons/{code}', ['https://shop.example', 'http://10.0.0.2:3000']),
    ).toEqual(['https://admin.example/coupons/{code}', 'https://admin.example/coupons/{code}']);
  });
});
