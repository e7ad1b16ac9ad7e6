import { describe, expect, it } from 'vitest';
import { NIR_ADLIF_REASON, NIR_ADLIF_SHORT, nirExportRefusal, nirRefusalShort } from '../../src/shared/nirExport';
import { toNir } from '../../src/services/nir/nirGraph';
import { sampleSession } from '../services/sessions/sampleSession';

describe('nirExportRefusal', () => {
  it('lets LIF sessions export and gives adLIF the reason the export itself refuses with', () => {
    expect(nirExportRefusal('lif')).toBeNull();
    const why = nirExportRefusal('adlif');
    expect(why).toBe(`adLIF, which NIR cannot express: ${NIR_ADLIF_REASON}`);
    // The Sessions tab's disabled button and the export's refusal say the same.
    const adlif = sampleSession({ neuron: 'adlif', layers: [[4, true]], channels: 5, classes: 3, epochs: 1 });
    expect(() => toNir(adlif.params, adlif.config)).toThrow(`layer 1 is ${why}`);
  });

  it('gives the short form per kind for the disabled button', () => {
    expect(nirRefusalShort('lif')).toBeNull();
    expect(nirRefusalShort('adlif')).toBe(NIR_ADLIF_SHORT);
  });
});
