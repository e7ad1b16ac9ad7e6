import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/shared/config';
import { seedsProblem, seedsSpec, sweepSeeds } from '../../src/shared/seedsSweep';
import { sweepSpecErrors } from '../../src/shared/sweep';

const config = { ...(DEFAULT_CONFIG as TrainConfig), seed: 7 };

describe('seeds sweep', () => {
  it('varies the seed alone, from the config\'s own seed', () => {
    const spec = seedsSpec({ config, seeds: 3, data: { dataset: 'demo' }, backend: 'cpu', base: { workers: 1 } });
    expect(spec).toEqual({ name: '3 seeds', config, base: { workers: 1 }, grid: { seed: [7, 8, 9] }, data: { dataset: 'demo' }, backend: 'cpu' });
    expect(sweepSpecErrors(spec)).toEqual([]);
    expect(sweepSeeds(spec)).toEqual([7, 8, 9]);
  });

  it('tells a seeds sweep from any other', () => {
    const data = { dataset: 'demo' };
    expect(sweepSeeds({ data, grid: { seed: [1, 2], hidden: [8] } })).toBeNull();
    expect(sweepSeeds({ data, grid: { hidden: [8, 16] } })).toBeNull();
    expect(sweepSeeds({ data, grid: { seed: [1, 2] }, random: { lr: { uniform: [0.001, 0.01] } } })).toBeNull();
    expect(sweepSeeds({ data, grid: { seed: ['a'] } })).toBeNull();
    expect(sweepSeeds({ data, grid: { seed: [3] } })).toEqual([3]);
  });

  it('refuses counts and seeds out of range', () => {
    expect(seedsProblem(0, 0)).toBe('the number of seeds must be an integer from 1 to 100 (got 0)');
    expect(seedsProblem(0, 101)).toBe('the number of seeds must be an integer from 1 to 100 (got 101)');
    expect(seedsProblem(0, NaN)).toBe('the number of seeds must be an integer from 1 to 100 (got NaN)');
    expect(seedsProblem(0xffffffff, 2)).toBe('seeds 4294967295…4294967296 pass the largest seed, 4294967295');
    expect(seedsProblem(0xffffffff, 1)).toBeNull();
    expect(() => seedsSpec({ config, seeds: 0, data: { dataset: 'demo' } })).toThrow('the number of seeds must be');
  });
});
