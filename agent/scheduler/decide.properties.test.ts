/**
 * Properties of `decide` over random policies, overrides, signals and
 * histories: the safety rules hold whatever else is going on, overrides end
 * exactly when they say, decisions do not flap around thresholds, and the
 * agent is never told to poll faster (or slower) than the sampling rules.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide } from './decide.ts';
import { HEAT_RESUME_MARGIN_C } from './heat-latch.ts';
import { EARNING_IDLE_SAMPLE_MS, LONGEST_WAIT_MS, WAITING_MIN_INTERVAL_MS } from './next-check.ts';
import { createOwnerOverride, MAX_EARN_NOW_SECONDS } from './owner-override.ts';
import { DEFAULT_CPU_TEMPERATURE_LIMIT_C } from './policy.ts';
import { INITIAL_SCHEDULER_MEMORY } from './scheduler-memory.ts';
import {
  arbInstant,
  arbPolicy,
  arbSchedule,
  arbSignalsAt,
  arbTimedOverrideRequest,
  arbTimeZone,
  arbWorld,
  CPU,
  countChanges,
  DAY,
  decideWorld,
  GPU,
  MINUTE,
  policyWith,
  replay,
  SECOND,
  type Step,
  signalsWith,
  T0,
} from './test-fixtures.ts';
import { wallTimeAt } from './wall-clock.ts';
import { isWithinSchedule } from './weekly-schedule.ts';

const RUNS = { numRuns: 300 };

describe('safety', () => {
  it('never earns on battery when pause-on-battery is set, whatever the override', () => {
    fc.assert(
      fc.property(arbWorld, (world) => {
        const onBattery = {
          ...world,
          policy: { ...world.policy, pauseOnBattery: true },
          signals: { ...world.signals, isOnBattery: true },
        };
        const { decision } = decideWorld(onBattery);
        expect(decision.state).not.toBe('earning');
        expect(decision.devices).toEqual([]);
      }),
      RUNS,
    );
  });

  it('never lets a device work above its temperature limit, nor before it is 10 °C below after', () => {
    fc.assert(
      fc.property(
        arbPolicy,
        fc.array(
          fc.record({
            cpu: fc.option(fc.integer({ min: 40, max: 110 })),
            gpu: fc.option(fc.integer({ min: 40, max: 110 })),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        (policy, readings) => {
          const isHot = new Map<string, boolean>();
          let memory = INITIAL_SCHEDULER_MEMORY;
          readings.forEach((reading, index) => {
            const devices = [
              { ...CPU, temperatureC: reading.cpu },
              { ...GPU, temperatureC: reading.gpu },
            ];
            const now = T0 + index * SECOND;
            const result = decide({ policy, override: null, signals: signalsWith({ devices }), memory, now });
            memory = result.memory;
            for (const device of devices) {
              // An independent model of the rule: latch above the limit, release at 10 °C below. The
              // limit is the device's own, else the policy-wide one for GPUs, else the CPU's built-in one.
              const limit =
                policy.devices[device.id]?.temperatureLimitC ??
                (device.kind === 'gpu' ? policy.gpuTemperatureLimitC : DEFAULT_CPU_TEMPERATURE_LIMIT_C);
              const t = device.temperatureC;
              const wasHot = isHot.get(device.id) ?? false;
              const hot = wasHot ? !(t !== null && t <= limit - HEAT_RESUME_MARGIN_C) : t !== null && t > limit;
              isHot.set(device.id, hot);
              const isAllowed = result.decision.devices.some((allowed) => allowed.id === device.id);
              if (isAllowed) {
                expect(hot).toBe(false);
                expect(t).not.toBeNull();
                expect(t ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(limit);
              }
            }
          });
        },
      ),
      RUNS,
    );
  });

  it('earn-now never overrides battery or heat', () => {
    fc.assert(
      fc.property(
        arbWorld,
        fc.integer({ min: 60, max: MAX_EARN_NOW_SECONDS }),
        fc.boolean(),
        (world, seconds, isBattery) => {
          const override = createOwnerOverride(
            { kind: 'earn-now', durationSeconds: seconds },
            world.policy.timeZone,
            world.now,
          );
          const hotDevices = world.signals.devices.map((device) => ({
            ...device,
            reportsTemperature: true,
            temperatureC: 111,
          }));
          const signals = isBattery
            ? { ...world.signals, isOnBattery: true }
            : { ...world.signals, devices: hotDevices };
          const policy = isBattery ? { ...world.policy, pauseOnBattery: true } : world.policy;
          const { decision } = decideWorld({ ...world, policy, override, signals });
          expect(decision.state).not.toBe('earning');
          expect(decision.devices).toEqual([]);
        },
      ),
      RUNS,
    );
  });

  it('never takes an unknown idle time for idleness: only earn-now or light mode earn then', () => {
    fc.assert(
      fc.property(arbWorld, (world) => {
        const signals = { ...world.signals, hasInputSource: true, idleSeconds: null };
        const { decision } = decideWorld({ ...world, signals });
        if (decision.state !== 'earning') return;
        expect(['earn-now', 'light-mode', 'finishing-job']).toContain(decision.cause);
        if (decision.cause === 'finishing-job') expect(decision.override?.kind).toBe('finish-then-pause');
      }),
      RUNS,
    );
  });

  it('light mode never uses a GPU nor more than its threads', () => {
    fc.assert(
      fc.property(arbWorld, (world) => {
        const { decision } = decideWorld(world);
        if (decision.cause !== 'light-mode') return;
        for (const device of decision.devices) {
          expect(device.kind).toBe('cpu');
          expect(device.maxThreads).not.toBeNull();
          expect(device.maxThreads ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(world.policy.lightMode.cpuThreads);
        }
      }),
      RUNS,
    );
  });

  it('allows devices only when earning or waiting for work, and leases nothing new while finishing before a pause', () => {
    fc.assert(
      fc.property(arbWorld, (world) => {
        const { decision } = decideWorld(world);
        if (decision.devices.length > 0) expect(['earning', 'no-work']).toContain(decision.state);
        if (decision.state === 'earning') expect(decision.devices.length).toBeGreaterThan(0);
        if (decision.override?.kind === 'finish-then-pause') expect(decision.acceptsNewJobs).toBe(false);
        for (const device of decision.devices) {
          const settings = world.policy.devices[device.id];
          if (settings !== undefined) expect(settings.enabled).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('respects the schedule unless earn-now is in force', () => {
    fc.assert(
      fc.property(arbWorld, arbSchedule, (world, schedule) => {
        const policy = { ...world.policy, schedule };
        const { decision } = decideWorld({ ...world, policy });
        const inside = isWithinSchedule(schedule, wallTimeAt(world.now, policy.timeZone));
        if (!inside && decision.override?.kind !== 'earn-now') expect(decision.state).not.toBe('earning');
      }),
      RUNS,
    );
  });
});

describe('overrides expire exactly at their stated time', () => {
  it('is in force (and shown) before `until` and gone at and after it', () => {
    fc.assert(
      fc.property(
        arbTimedOverrideRequest,
        arbTimeZone,
        arbInstant,
        fc.double({ min: 0, max: 1, noNaN: true }),
        (request, timeZone, setAt, fraction) => {
          const policy = policyWith({ timeZone });
          const override = createOwnerOverride(request, timeZone, setAt);
          const until = override.until ?? Number.NaN;
          const signals = signalsWith({ idleSeconds: 0 });
          const at = (now: number) =>
            decide({ policy, override, signals, memory: INITIAL_SCHEDULER_MEMORY, now }).decision;
          const during = Math.min(until - 1, setAt + Math.floor((until - setAt) * fraction));
          for (const now of [setAt, during, until - 1]) {
            const decision = at(now);
            expect(decision.override).toEqual(override);
            expect(decision.cause).toBe(override.kind === 'pause' ? 'owner-paused' : 'earn-now');
            expect(decision.nextCheckAt).toBeLessThanOrEqual(Math.max(until, now + WAITING_MIN_INTERVAL_MS));
          }
          for (const now of [until, until + 1 + Math.floor(fraction * DAY)]) {
            const decision = at(now);
            expect(decision.override).toBeNull();
            // The owner is at the keyboard, so without the override the machine waits.
            expect(decision.cause).toBe('owner-active');
          }
        },
      ),
      RUNS,
    );
  });
});

describe('no flapping around thresholds', () => {
  it('idle: a jittery counter (1 s resolution, ±1 s, readings up to 1 s old) flips to earning once and stays', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.array(
          fc.record({
            stepMs: fc.integer({ min: 100, max: 3000 }),
            jitter: fc.constantFrom(-1, 0, 1),
            ageMs: fc.integer({ min: 0, max: 1000 }),
          }),
          {
            minLength: 20,
            maxLength: 200,
          },
        ),
        (idleMinutes, samples) => {
          const policy = policyWith({ idleMinutes });
          const thresholdMs = idleMinutes * MINUTE;
          // The owner left just before the threshold would be crossed, so the sequence straddles it.
          const leftAt = T0 - thresholdMs + 30 * SECOND;
          let now = T0;
          const steps = samples.map((sample) => {
            now += sample.stepMs;
            const idleSeconds = Math.max(0, Math.floor((now - sample.ageMs - leftAt) / SECOND) + sample.jitter);
            return { now, signals: signalsWith({ idleSeconds }) };
          });
          const states = replay(policy, null, steps).map((decision) => decision.state);
          expect(countChanges(states)).toBeLessThanOrEqual(1);
          if (states.includes('earning')) expect(states.at(-1)).toBe('earning');
        },
      ),
      RUNS,
    );
  });

  it('temperature: readings hovering between 10 °C below the limit and above it stop a device at most once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 60, max: 100 }),
        fc.array(fc.double({ min: -9.9, max: 8, noNaN: true }), { minLength: 2, maxLength: 100 }),
        fc.boolean(),
        (limit, offsets, isPolicyWide) => {
          // The limit is the GPU's own, or the policy-wide one with a GPU of no limit of its own.
          const policy = isPolicyWide
            ? policyWith({ gpuTemperatureLimitC: limit })
            : policyWith({ gpuTemperatureLimitC: limit + 10, devices: { 'gpu:0': { temperatureLimitC: limit } } });
          const steps = offsets.map((offset, index) => ({
            now: T0 + index * SECOND,
            signals: signalsWith({ devices: [CPU, { ...GPU, temperatureC: limit + offset }] }),
          }));
          const gpuAllowed = replay(policy, null, steps).map((decision) =>
            decision.devices.some((device) => device.id === 'gpu:0'),
          );
          expect(countChanges(gpuAllowed)).toBeLessThanOrEqual(1);
          if (gpuAllowed.includes(false)) expect(gpuAllowed.at(-1)).toBe(false);
        },
      ),
      RUNS,
    );
  });

  it('CPU: load crossing the threshold more often than every 20 s never changes the decision', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 5, max: 95 }),
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 19 }), { minLength: 2, maxLength: 40 }),
        (threshold, startsBusy, runSeconds) => {
          const policy = policyWith({ cpuBusyPercent: threshold });
          const sampleAt = (second: number, percent: number) => {
            const now = T0 + second * SECOND;
            return { now, signals: signalsWith({ cpuSamples: [{ at: now, otherProgramsPercent: percent }] }) };
          };
          // Half the runs begin after 21 s of heavy load, so the CPU is already judged busy.
          const prefix = startsBusy ? Array.from({ length: 21 }, (_, second) => sampleAt(second, 100)) : [];
          const steps: Step[] = [];
          let second = prefix.length;
          runSeconds.forEach((length, runIndex) => {
            const isAbove = runIndex % 2 === (startsBusy ? 1 : 0);
            const percent = isAbove ? Math.min(100, threshold + 5) : Math.max(0, threshold - 5);
            for (let index = 0; index < length; index++, second++) steps.push(sampleAt(second, percent));
          });
          const decisions = replay(policy, null, [...prefix, ...steps]).slice(prefix.length);
          const causes = decisions.map((decision) => decision.cause);
          expect(countChanges(causes)).toBe(0);
          expect(causes[0]).toBe(startsBusy ? 'cpu-busy' : 'idle');
        },
      ),
      RUNS,
    );
  });
});

describe('when to ask again', () => {
  it('is always after now, at most 250 ms while earning with input, at least 2 s otherwise, at most 10 s', () => {
    fc.assert(
      fc.property(arbWorld, (world) => {
        const { decision } = decideWorld(world);
        const wait = decision.nextCheckAt - world.now;
        expect(Number.isInteger(decision.nextCheckAt)).toBe(true);
        expect(wait).toBeGreaterThan(0);
        expect(wait).toBeLessThanOrEqual(LONGEST_WAIT_MS);
        if (decision.state === 'earning' && world.signals.hasInputSource)
          expect(wait).toBeLessThanOrEqual(EARNING_IDLE_SAMPLE_MS);
        if (decision.state !== 'earning') expect(wait).toBeGreaterThanOrEqual(WAITING_MIN_INTERVAL_MS);
      }),
      RUNS,
    );
  });

  it('nothing that decides changes before the next check when no signal changes', () => {
    fc.assert(
      fc.property(arbWorld, fc.double({ min: 0, max: 1, noNaN: true }), (world, fraction) => {
        const first = decideWorld(world);
        const { decision } = first;
        if (decision.state !== 'earning' && decision.state !== 'no-work') return;
        // Time passes with the same signals (idle grows with it, CPU samples are not repeated).
        const elapsed = Math.floor((decision.nextCheckAt - world.now - 1) * fraction);
        const later = world.now + elapsed;
        const signals = {
          ...world.signals,
          cpuSamples: [],
          idleSeconds: world.signals.idleSeconds === null ? null : world.signals.idleSeconds + elapsed / SECOND,
        };
        const again = decide({
          policy: world.policy,
          override: world.override,
          signals,
          memory: first.memory,
          now: later,
        });
        expect(again.decision.state).toBe(decision.state);
        expect(again.decision.cause).toBe(decision.cause);
      }),
      RUNS,
    );
  });
});

describe('purity', () => {
  it('is a fixpoint: deciding again at the same moment with the returned memory gives the same decision', () => {
    fc.assert(
      fc.property(arbWorld, (world) => {
        const first = decideWorld(world);
        const second = decide({
          policy: world.policy,
          override: world.override,
          signals: world.signals,
          memory: first.memory,
          now: world.now,
        });
        expect(second.decision).toEqual(first.decision);
        expect(second.memory).toEqual(first.memory);
      }),
      RUNS,
    );
  });

  it('accepts every random signal set the schema accepts', () => {
    fc.assert(
      fc.property(
        arbInstant.chain((now) => fc.tuple(fc.constant(now), arbSignalsAt(now))),
        ([now, signals]) => {
          expect(() =>
            decide({ policy: policyWith(), override: null, signals, memory: INITIAL_SCHEDULER_MEMORY, now }),
          ).not.toThrow();
        },
      ),
    );
  });
});
