/**
 * One refused option, as every option contract reports it (config.ts, schedule.ts, augment.ts, validation.ts,
 * cochlea.ts) and IPC returns it: in a file of its own so those contracts share it without importing each other.
 */
export interface FieldError {
  /** The config key (`tauMemS`), a span end (`tauMemS.hi`) or a layer field (`layers.1.size`). */
  field: string;
  message: string;
}
