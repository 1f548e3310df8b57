import { describe, expect, it } from 'vitest';
import { AREA_ZOOM, areaFor } from './viewport.js';

describe('the area a console subscribes to', () => {
  const view = [122.0, 29.8, 122.4, 30.0] as const;

  it('is everything below the area zoom', () => {
    expect(areaFor(view, AREA_ZOOM - 0.1, null)).toBeNull();
    expect(areaFor(view, 7.4, [121, 29, 123, 31])).toBeNull();
  });

  it('is the view with half its size again beyond each edge once zoomed in', () => {
    const a = areaFor(view, 11, null)!;
    expect(a[0]).toBeCloseTo(121.8, 9);
    expect(a[1]).toBeCloseTo(29.7, 9);
    expect(a[2]).toBeCloseTo(122.6, 9);
    expect(a[3]).toBeCloseTo(30.1, 9);
  });

  it('stays the held area while the view is inside it, and moves when the view leaves it', () => {
    const held = areaFor(view, 11, null)!;
    expect(areaFor([122.1, 29.85, 122.5, 30.05], 11, held)).toBe(held);
    const moved = areaFor([122.5, 29.8, 122.9, 30.0], 11, held)!;
    expect(moved).not.toBe(held);
    expect(moved[0]).toBeCloseTo(122.3, 9);
  });
});
