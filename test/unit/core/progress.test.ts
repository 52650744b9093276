import { describe, expect, test } from 'vitest';
import { evaluateProgress, formatProgress } from '../../../src/core/progress.js';

const ap = { service: 'foundation_ap', needed: 100, startSubscribed: 50 };
const sw = { service: 'foundation_switch_6300', needed: 10, startSubscribed: 0 };

describe('evaluateProgress', () => {
  test('no sample yet: nothing done', () =>
    expect(evaluateProgress('assign', [ap], [])).toMatchObject({
      done: 0,
      needed: 100,
      percent: 0,
      complete: false,
    }));
  test('assign: done is the rise since the start', () =>
    expect(evaluateProgress('assign', [ap], [{ service: 'foundation_ap', subscribed: 80 }])).toMatchObject({
      done: 30,
      percent: 30,
      complete: false,
      blocked: false,
    }));
  test('assign: complete when the rise reaches needed (capped)', () =>
    expect(evaluateProgress('assign', [ap], [{ service: 'foundation_ap', subscribed: 170 }])).toMatchObject({
      done: 100,
      percent: 100,
      complete: true,
    }));
  test('unassign: done is the fall', () =>
    expect(
      evaluateProgress('unassign', [{ ...ap, needed: 50 }], [{ service: 'foundation_ap', subscribed: 0 }]),
    ).toMatchObject({ done: 50, complete: true }));
  test('a fall during assign never counts negative', () =>
    expect(evaluateProgress('assign', [ap], [{ service: 'foundation_ap', subscribed: 10 }]).done).toBe(0));
  test('needed 0 is complete at once', () =>
    expect(evaluateProgress('assign', [{ ...ap, needed: 0 }], [])).toMatchObject({
      complete: true,
      percent: 100,
    }));
  test('blocked: not complete and no license left', () =>
    expect(
      evaluateProgress('assign', [ap], [{ service: 'foundation_ap', subscribed: 60, licenseAvailable: 0 }]),
    ).toMatchObject({ blocked: true, complete: false }));
  test('not blocked while another service can still progress', () =>
    expect(
      evaluateProgress(
        'assign',
        [ap, sw],
        [
          { service: 'foundation_ap', subscribed: 60, licenseAvailable: 0 },
          { service: 'foundation_switch_6300', subscribed: 2, licenseAvailable: 5 },
        ],
      ),
    ).toMatchObject({ blocked: false, done: 12, needed: 110 }));
  test('blocked once the others are complete', () =>
    expect(
      evaluateProgress(
        'assign',
        [ap, sw],
        [
          { service: 'foundation_ap', subscribed: 60, licenseAvailable: 0 },
          { service: 'foundation_switch_6300', subscribed: 10, licenseAvailable: 5 },
        ],
      ).blocked,
    ).toBe(true));
  test('unassign is never blocked by licenses', () =>
    expect(
      evaluateProgress('unassign', [ap], [{ service: 'foundation_ap', subscribed: 50, licenseAvailable: 0 }])
        .blocked,
    ).toBe(false));
  test('unknown target: counts, never complete, no percent', () => {
    const p = evaluateProgress(
      'assign',
      [{ ...ap, needed: undefined }],
      [{ service: 'foundation_ap', subscribed: 75 }],
    );
    expect(p).toMatchObject({ done: 25, complete: false, blocked: false });
    expect(p.needed).toBeUndefined();
    expect(p.percent).toBeUndefined();
  });
});

describe('formatProgress', () => {
  test('known target', () =>
    expect(
      formatProgress(
        evaluateProgress(
          'assign',
          [{ ...ap, needed: 50_000 }],
          [{ service: 'foundation_ap', subscribed: 12_390 }],
        ),
      ),
    ).toBe('12,340 / 50,000 devices, 24%'));
  test('unknown target', () =>
    expect(
      formatProgress(
        evaluateProgress(
          'assign',
          [{ ...ap, needed: undefined }],
          [{ service: 'foundation_ap', subscribed: 1_050 }],
        ),
      ),
    ).toBe('1,000 devices changed so far'));
});
