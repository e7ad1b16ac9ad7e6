import { describe, expect, it } from 'vitest';
import type { ListenResult } from '../../../../src/shared/workbenchApi';
import {
  frameSpan,
  lastPointS,
  listenAxis,
  probabilityCurves,
  tickLabel,
  timeTicks,
  topClasses,
  waveColumnSpan,
  xOfTime,
} from '../../../../src/renderer/src/lib/listenTimeline';

type Prediction = NonNullable<ListenResult['prediction']>;

/** A session window of `steps` uniform bins over maxTimeS, class k's probability rising with k. */
function prediction(steps: number, maxTimeS: number): Prediction {
  return {
    sessionName: 's',
    classNames: ['zero', 'one', 'two'],
    predicted: 2,
    scores: [0.1, 0.3, 0.6],
    overTime: Array.from({ length: steps }, (_, t) => [0.1, 0.3, 0.6].map((p) => p + t * 1e-4)),
    stepEndS: Array.from({ length: steps }, (_, t) => ((t + 1) * maxTimeS) / steps),
    nbSteps: steps,
    maxTimeS,
  };
}

describe('the Listen tab\'s time axis', () => {
  it('runs from 0 to the recording\'s length, and maps a time to its x in the plot area', () => {
    const axis = listenAxis({ durationS: 0.64 });
    expect(axis).toEqual({ startS: 0, endS: 0.64 });
    expect(xOfTime(0, axis, 500)).toBe(0);
    expect(xOfTime(0.64, axis, 500)).toBe(500);
    expect(xOfTime(0.16, axis, 500)).toBeCloseTo(125, 9);
  });

  it('stops the probability curve at the clip\'s end, not at the end of the session\'s window (0.64 s clip, 1.4 s window)', () => {
    // The bug: the curve spanned all 100 steps of the 1.4 s window, on a 0.64 s clip.
    const curves = probabilityCurves(prediction(100, 1.4), 0.64, [2, 0]);
    expect(curves.map((c) => [c.k, c.label])).toEqual([[2, 'two'], [0, 'zero']]);
    // Steps end every 14 ms: the last one inside the clip ends at 0.630 s (45 steps); the next, at 0.644 s, is past it.
    expect(curves[0].points).toHaveLength(45);
    expect(curves[0].points.at(-1)!.tS).toBeCloseTo(0.63, 12);
    expect(lastPointS(curves)).toBeLessThanOrEqual(0.64);
    expect(curves[1].points[3].tS).toBeCloseTo(0.056, 12);
    expect(curves[1].points[3].p).toBe(0.1 + 3e-4);
  });

  it('ends at the session\'s window when the clip is longer than it (the network heard no more)', () => {
    const curves = probabilityCurves(prediction(50, 1), 2.5, [1]);
    expect(curves[0].points).toHaveLength(50);
    expect(lastPointS(curves)).toBeCloseTo(1, 12);
  });

  it('places waveform columns and cochleagram frames at their own times', () => {
    expect(waveColumnSpan(0, 600, 0.6)).toEqual({ startS: 0, endS: 0.001 });
    expect(waveColumnSpan(599, 600, 0.6).endS).toBeCloseTo(0.6, 12);
    expect(frameSpan(63, 0.01)).toEqual({ startS: 0.63, endS: 0.64 });
  });

  it('ticks at round steps of 1, 2 or 5 × 10^k s, labelled with the decimals the step needs', () => {
    const ticks = timeTicks({ startS: 0, endS: 0.64 });
    expect(ticks).toEqual([0, 0.2, 0.4, 0.6]);
    expect(ticks.map((t) => tickLabel(t, ticks))).toEqual(['0.0', '0.2', '0.4', '0.6']);
    expect(timeTicks({ startS: 0, endS: 2 })).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(timeTicks({ startS: 0, endS: 0.05 })).toEqual([0, 0.01, 0.02, 0.03, 0.04, 0.05]);
    expect(tickLabel(0.03, [0, 0.01])).toBe('0.03');
  });

  it('ranks classes by score, best first', () => {
    expect(topClasses([0.2, 0.5, 0.1, 0.7], 3)).toEqual([3, 1, 0]);
  });
});
