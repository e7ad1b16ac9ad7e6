/**
 * What the window remembers for the next start: the backend and probe sample always, the form only while it is
 * valid (an invalid config stored would come back as the next start's form), the dataset once one is chosen.
 */
import type { TrainConfig } from '../../../shared/config';
import type { BackendPreference, DatasetRef, Settings } from '../../../shared/workbenchApi';

export function rememberedSettings(
  backend: BackendPreference,
  probeSample: number,
  config: TrainConfig,
  formErrorCount: number,
  dataset: DatasetRef | null,
): Partial<Settings> {
  return {
    backend,
    probeSample,
    ...(formErrorCount === 0 ? { lastConfig: config } : {}),
    ...(dataset ? { lastDataset: dataset } : {}),
  };
}
