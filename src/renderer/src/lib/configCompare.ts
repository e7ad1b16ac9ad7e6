/** Config summaries for the session list and the side-by-side comparison, in the form's units. */
import type { TrainConfig } from '../../../shared/config';
import { FORM_FIELDS } from './formFields';
import { formatValue } from './format';
import { secondsToMs } from './units';

/** "H 128 · τsyn 5 ms · τmem 10 ms · T 100 · lr 0.001 adam · B 256" — the options people scan for. */
export function keyConfig(c: TrainConfig): string {
  return [
    `H ${c.hidden}${c.recurrent ? '' : ' (no rec.)'}`,
    `τsyn ${secondsToMs(c.tauSynS)} ms`,
    `τmem ${secondsToMs(c.tauMemS)} ms`,
    `T ${c.nbSteps}`,
    `lr ${formatValue(c.learningRate)} ${c.optimizer}`,
    `B ${c.batchSize}`,
  ].join(' · ');
}

export interface ConfigRow {
  key: keyof TrainConfig;
  label: string;
  a: string;
  b: string;
  differs: boolean;
}

/** One row per option in form order, values in form units (ms for times). */
export function compareConfigs(a: TrainConfig, b: TrainConfig): ConfigRow[] {
  return FORM_FIELDS.map((f) => {
    const show = (c: TrainConfig): string => {
      const v = c[f.key];
      if (f.kind === 'number' && f.ms) return `${formatValue(secondsToMs(v as number))} ms`;
      return formatValue(v);
    };
    return { key: f.key, label: f.label, a: show(a), b: show(b), differs: a[f.key] !== b[f.key] };
  });
}
