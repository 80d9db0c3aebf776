import { describe, expect, it } from 'vitest';
import { type RequestPacer, createRequestPacer } from '../../src/vk/request-pacer.js';

interface Request {
  start: number;
  answer: number;
}

/**
 * The smallest distance from a request's arrival at VK to the arrival of the request `limit`
 * later, whatever the arrival within [start, answer] (or start + maxTransitMs, when the answer is
 * later): VK's sliding second holds as long as this is at least 1000 ms.
 */
function tightestWindow(requests: Request[], limit: number, maxTransitMs = 100): number {
  let tightest = Number.POSITIVE_INFINITY;
  for (let k = limit; k < requests.length; k += 1) {
    const earlier = requests[k - limit]!;
    tightest = Math.min(tightest, requests[k]!.start - Math.min(earlier.answer, earlier.start + maxTransitMs));
  }
  return tightest;
}

/**
 * A saturated queue: every request starts as soon as allowed, `lateMs()` after it (a timer on a
 * busy event loop), and is answered `answerMs()` after its start.
 */
function saturate(pacer: RequestPacer, count: number, options: { lateMs?: () => number; answerMs?: () => number; from?: number } = {}): Request[] {
  const { lateMs = () => 0, answerMs = () => 5, from = 0 } = options;
  const requests: Request[] = [];
  const pending: { at: number; answered: (at: number) => void }[] = [];
  let now = from;
  for (let i = 0; i < count; i += 1) {
    // Answers come back in time order; each may let the next start go sooner.
    pending.sort((a, b) => a.at - b.at);
    while (pending[0] && pending[0].at <= pacer.nextStart(now)) pending[0].answered(pending.shift()!.at);
    now = pacer.nextStart(now) + lateMs();
    const request = { start: now, answer: now + answerMs() };
    pending.push({ at: request.answer, answered: pacer.started(now, true).answered });
    requests.push(request);
  }
  return requests;
}

/** Deterministic pseudo-random numbers in [0, max). */
function randomUpTo(max: number, seed = 7): () => number {
  return () => {
    seed = (seed * 16807) % 2147483647;
    return (seed / 2147483647) * max;
  };
}

const rate = (requests: Request[]) => (requests.length - 1) / ((requests.at(-1)!.start - requests[0]!.start) / 1000);

describe('request pacer', () => {
  it('lets a request go at once after an idle spell, the next one a pace later', () => {
    const pacer = createRequestPacer({ perWindow: 20, windowMs: 1000 });
    expect(pacer.nextStart(1000)).toBe(1000);
    pacer.started(1000, false).answered(1005);
    expect(pacer.nextStart(1000)).toBe(1050);
    expect(pacer.nextStart(5000)).toBe(5000);
  });

  it('spaces a saturated queue evenly, windowMs / limit apart', () => {
    const requests = saturate(createRequestPacer({ perWindow: 20, windowMs: 1000 }), 60, { answerMs: () => 0 });
    const gaps = requests.slice(1).map((request, i) => request.start - requests[i]!.start);
    expect(new Set(gaps.map((gap) => gap.toFixed(6)))).toEqual(new Set(['50.000000']));
  });

  it('keeps VK’s window and about 20 requests/s when every start is late and answers vary', () => {
    const requests = saturate(createRequestPacer({ perWindow: 20 }), 400, { lateMs: randomUpTo(8), answerMs: randomUpTo(40, 11) });
    expect(tightestWindow(requests, 20)).toBeGreaterThanOrEqual(1000);
    // vk-io's timer ("the next start 50 ms after this one") gives 1000 / (50 + 4) ≈ 18.5/s here.
    expect(rate(requests)).toBeGreaterThan(19.2);
  });

  it('makes up the slots a blocked event loop missed while requests waited, within the window', () => {
    // Every 25th start is 100 ms late (a long synchronous stretch elsewhere in the process).
    let count = 0;
    const requests = saturate(createRequestPacer({ perWindow: 20 }), 800, { lateMs: () => (++count % 25 === 0 ? 100 : 0) });
    expect(tightestWindow(requests, 20)).toBeGreaterThanOrEqual(1000);
    // Restarting the pace after each late start instead gives 18.4/s here; without blocks, 19.9/s.
    expect(rate(requests)).toBeGreaterThan(19.3);
  });

  it('waits for an unanswered request, up to maxTransitMs after its start', () => {
    const quick = saturate(createRequestPacer({ perWindow: 20 }), 21, { answerMs: () => 60 });
    expect(quick.at(-1)!.start).toBe(60 + 1001);
    const slow = saturate(createRequestPacer({ perWindow: 20 }), 41, { answerMs: () => 800 });
    expect(slow[20]!.start).toBe(100 + 1001);
    expect(tightestWindow(slow, 20)).toBeGreaterThanOrEqual(1000);
    expect(rate(slow)).toBeGreaterThan(18);
  });

  it('counts an unanswered request’s transit from when the event loop let it leave the process', () => {
    const pacer = createRequestPacer({ perWindow: 1 });
    const request = pacer.started(0, false);
    expect(pacer.nextStart(0)).toBe(100 + 1001);
    // A synchronous stretch of 300 ms right after the start: the request left at 300 at the earliest.
    request.left(300);
    expect(pacer.nextStart(0)).toBe(400 + 1001);
    request.answered(350);
    expect(pacer.nextStart(0)).toBe(350 + 1001);
  });

  it('holds the window when requests come at random moments', () => {
    const pacer = createRequestPacer({ perWindow: 20 });
    const random = randomUpTo(120);
    const requests: Request[] = [];
    let now = 0;
    for (let i = 0; i < 2000; i += 1) {
      now += random() < 40 ? random() : 0; // bursts and pauses
      now = pacer.nextStart(now) + random() / 20;
      const request = { start: now, answer: now + random() };
      pacer.started(now, random() < 60).answered(request.answer);
      requests.push(request);
    }
    expect(tightestWindow(requests, 20)).toBeGreaterThanOrEqual(1000);
  });

  it('applies a new limit at once: a lower one caps every window that ends after the change', () => {
    const pacer = createRequestPacer({ perWindow: 20 });
    const before = saturate(pacer, 30);
    pacer.setLimit(6);
    expect(pacer.limit).toBe(6);
    const after = saturate(pacer, 30, { lateMs: randomUpTo(5), from: before.at(-1)!.start });
    expect(tightestWindow([...before, ...after].slice(before.length - 6), 6)).toBeGreaterThanOrEqual(1000);
    // 30 starts at 6 a window span at least four windows.
    expect(after.at(-1)!.start - after[0]!.start).toBeGreaterThanOrEqual(4 * 1000);
    // And a higher one lets the pace rise again.
    pacer.setLimit(20);
    const faster = saturate(pacer, 100, { from: after.at(-1)!.start + 2000 });
    expect(tightestWindow(faster, 20)).toBeGreaterThanOrEqual(1000);
    expect(rate(faster)).toBeGreaterThan(19.5);
  });

  it('refuses a limit that is not a whole number of requests', () => {
    expect(() => createRequestPacer({ perWindow: 6.5 })).toThrow(/whole number/);
    expect(() => createRequestPacer({ perWindow: 20 }).setLimit(0)).toThrow(/whole number/);
  });
});
