import { describe, expect, it } from 'vitest';
import { kindByDatasets, layerKind, withArticle } from '../../../src/services/sessions/layerKind';

const datasets = (...names: string[]) => (n: string) => names.includes(n);
const ADLIF = datasets('w_in', 'tau_mem', 'tau_adapt', 'a', 'b');
const LIF = datasets('w_in', 'w_rec', 'tau_syn', 'tau_mem');

describe('layerKind', () => {
  it('without the attribute: told by the datasets as the reference does (a present → adlif, else lif)', () => {
    expect(kindByDatasets(ADLIF)).toEqual({ kind: 'adlif', toldBy: 'dataset a present' });
    expect(layerKind('weights/layer0', undefined, LIF)).toEqual({ kind: 'lif', toldBy: 'no dataset a' });
  });

  it('with the attribute: its kind, when the datasets agree', () => {
    expect(layerKind('weights/layer1', 'adlif', ADLIF)).toEqual({ kind: 'adlif', toldBy: 'attribute kind' });
    expect(layerKind('weights/layer0', 'lif', LIF)).toEqual({ kind: 'lif', toldBy: 'attribute kind' });
  });

  it('refuses in one line, naming the layer, a kind it does not know and one the datasets contradict', () => {
    expect(layerKind('weights/layer2', 'brf', LIF)).toEqual({ error: 'attribute kind on /weights/layer2 is "brf", expected one of lif, adlif' });
    expect(layerKind('weights/layer0', ['lif'], LIF)).toEqual({ error: 'attribute kind on /weights/layer0 is ["lif"], expected one of lif, adlif' });
    expect(layerKind('weights/layer0', 'lif', ADLIF)).toEqual({
      error: 'attribute kind on /weights/layer0 is "lif" but its datasets are those of an adlif layer (dataset a present), as the reference reads them',
    });
  });

  it('names a kind with its article', () => {
    expect([withArticle('lif'), withArticle('adlif')]).toEqual(['a lif', 'an adlif']);
  });
});
