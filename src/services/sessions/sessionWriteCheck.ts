/**
 * The checks a session passes before it is written (sessionWrite.ts): a file the reader (sessionRead.ts) would
 * refuse is refused here instead, with the reason, so a bad save fails now rather than the next load.
 */
import { isDecay, neuronDefinition } from '../engine/definitions';
import { configErrors } from '../../shared/config';
import { validationSplitInfoErrors } from '../../shared/validation';
import { scheduleStateErrors } from '../engine/training/lrSchedule';
import { describeShape, flatLength, networkShape, paramLayout, sameShape, tensor, type NetworkShape, type Session } from '../engine/model/modelState';
import { firstNonFinite } from './sessionLayout';

/** Throws `cannot write session: …` naming the first part of `s` that does not fit its config or the format. */
export function checkSessionForWrite(s: Session): void {
  const fail = (detail: string): never => {
    throw new Error(`cannot write session: ${detail}`);
  };
  const errors = configErrors(s.config);
  if (errors.length) fail(`invalid config: ${errors.map((e) => e.message).join('; ')}`);
  const { params, optimizer } = s;
  let expected: NetworkShape;
  try {
    expected = networkShape(s.config, params.shape.channels, params.shape.classes);
  } catch (err) {
    return fail((err as Error).message);
  }
  if (!sameShape(params.shape, expected)) {
    fail(`the parameters are for a network ${describeShape(params.shape)}, the config gives ${describeShape(expected)}`);
  }
  // The file stores tensors by name, so the layout must be the one the reader will rebuild from the shape.
  const layout = paramLayout(expected);
  if (JSON.stringify(params.layout) !== JSON.stringify(layout)) fail(`the parameter layout is not the one of a network ${describeShape(expected)}`);
  const n = flatLength(layout);
  if (params.flat.length !== n) fail(`the parameter vector has ${params.flat.length} values, expected ${n}`);
  if (optimizer.name !== s.config.optimizer) fail(`optimizer is "${optimizer.name}" but config.optimizer is "${s.config.optimizer}"`);
  for (const key of ['m', 'v'] as const) {
    if (optimizer[key].length !== n) fail(`optimizer ${key} has ${optimizer[key].length} values, expected ${n}`);
  }
  // A NaN written now would make the file unreadable later (the reader refuses it), so refuse it here.
  for (const [what, flat] of [['parameter', params.flat], ['optimizer m', optimizer.m], ['optimizer v', optimizer.v]] as const) {
    const i = firstNonFinite(flat);
    if (i >= 0) {
      const e = layout.find((x) => i >= x.offset && i < x.offset + x.length)!;
      fail(`${what} ${e.name} has the non-finite value ${flat[i]} at index ${i - e.offset}`);
    }
  }
  // τ = −dt/ln(decay) is a finite positive time only for 0 < decay < 1: the kinds' decays and the readout's.
  const decays = new Set(['readout/alpha', 'readout/beta', ...params.shape.layers.flatMap((ls, l) => neuronDefinition(ls).params.filter(isDecay).map((p) => `layer${l}/${p.name}`))]);
  for (const e of layout) {
    if (!decays.has(e.name)) continue;
    const d = tensor(params, params.flat, e.name);
    const i = d.findIndex((x) => !(x > 0 && x < 1));
    if (i >= 0) fail(`decay ${e.name}[${i}] is ${d[i]}; a decay must lie strictly between 0 and 1 to have a time constant`);
  }
  if (s.history.length !== s.epochsDone) fail(`history has ${s.history.length} epochs, epochsDone is ${s.epochsDone}`);
  if (s.selected) {
    if (!(Number.isInteger(s.selected.epoch) && s.selected.epoch >= 1 && s.selected.epoch <= s.epochsDone)) fail(`selected epoch ${s.selected.epoch} is not one of the ${s.epochsDone} epochs`);
    if (s.selected.params.flat.length !== n || JSON.stringify(s.selected.params.layout) !== JSON.stringify(layout)) fail('the selected parameters are not laid out as the network');
    const i = firstNonFinite(s.selected.params.flat);
    if (i >= 0) fail(`the selected parameters have the non-finite value ${s.selected.params.flat[i]} at index ${i}`);
  }
  const sched = scheduleStateErrors(s.schedule);
  if (sched.length) fail(`invalid schedule state: ${sched.map((e) => e.message).join('; ')}`);
  const split = validationSplitInfoErrors(s.validation);
  if (split.length) fail(`invalid validation split: ${split.map((e) => e.message).join('; ')}`);
  if (s.meta.classNames.length !== params.shape.classes) fail(`${s.meta.classNames.length} class names for ${params.shape.classes} classes`);
}
