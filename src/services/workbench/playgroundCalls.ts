/**
 * The `playground.*` calls: the neuron kinds as their definitions describe them, and one neuron driven by an input
 * current with its f–I curve. Run in the serving process itself: a run is bounded (≤ 10 000 steps × 65 neurons,
 * under 0.2 s), far below what the training processes are for.
 */
import type { CustomNeuronSpec } from '../../shared/customNeuron';
import type { NeuronDescription, PlaygroundRequest, PlaygroundResult } from '../../shared/playground';
import { WorkbenchError } from '../../shared/workbenchApi';
import { neuronDescriptions } from '../playground/neuronDescriptions';
import { runPlayground } from '../playground/playground';

export class PlaygroundCalls {
  /** The built-in kinds, and the user-defined neuron of `custom` when given. */
  kinds(custom?: CustomNeuronSpec | null): NeuronDescription[] {
    try {
      return neuronDescriptions(custom);
    } catch (err) {
      throw new WorkbenchError(err instanceof Error ? err.message : String(err));
    }
  }

  run(request: PlaygroundRequest): PlaygroundResult {
    try {
      return runPlayground(request);
    } catch (err) {
      throw new WorkbenchError(err instanceof Error ? err.message : String(err));
    }
  }
}
