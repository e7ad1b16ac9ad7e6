import { describe, expect, it } from 'vitest';
import { kindByDatasets, layerKind, withArticle } from '../../../src/services/sessions/layerKind';

const datasets = (...names: string[]) => (n: string) => names.includes(n);
const ADLIF = datasets('w_in', 'tau_mem', 'tau_adapt', 'a', 'b');
const LIF = datasets('w_in', 'w_rec', 'tau_syn', 'tau_mem');
const BRF = datasets('w_in', 'omega', 'b_offset');
const CSILIF = datasets('w_in', 'log_log_alpha', 'log_dt', 'alpha_img', 'b');

describe('layerKind', () => {
  it('without the attribute: told by the datasets as the reference does (omega → brf, a → adlif, else lif; log_dt → csilif first)', () => {
    expect(kindByDatasets(ADLIF)).toEqual({ kind: 'adlif', toldBy: 'dataset a present' });
    expect(kindByDatasets(BRF)).toEqual({ kind: 'brf', toldBy: 'dataset omega present' });
    // csilif has a dataset b as adlif does, and no a: told by log_dt.
    expect(kindByDatasets(CSILIF)).toEqual({ kind: 'csilif', toldBy: 'dataset log_dt present' });
    expect(layerKind('weights/layer0', undefined, LIF)).toEqual({ kind: 'lif', toldBy: 'no dataset omega or a' });
  });

  it('with the attribute: its kind, when the datasets agree', () => {
    expect(layerKind('weights/layer1', 'adlif', ADLIF)).toEqual({ kind: 'adlif', toldBy: 'attribute kind' });
    expect(layerKind('weights/layer0', 'lif', LIF)).toEqual({ kind: 'lif', toldBy: 'attribute kind' });
    expect(layerKind('weights/layer0', 'csilif', CSILIF)).toEqual({ kind: 'csilif', toldBy: 'attribute kind' });
  });

  it('refuses in one line, naming the layer, a kind it does not know and one the datasets contradict', () => {
    expect(layerKind('weights/layer2', 'rf', LIF)).toEqual({ error: 'attribute kind on /weights/layer2 is "rf", expected one of lif, adlif, brf, csilif, custom' });
    expect(layerKind('weights/layer0', ['lif'], LIF)).toEqual({ error: 'attribute kind on /weights/layer0 is ["lif"], expected one of lif, adlif, brf, csilif, custom' });
    expect(layerKind('weights/layer1', 'csilif', LIF)).toEqual({
      error: 'attribute kind on /weights/layer1 is "csilif" but its datasets are those of a lif layer (no dataset omega or a), as the reference reads them',
    });
    expect(layerKind('weights/layer0', 'lif', ADLIF)).toEqual({
      error: 'attribute kind on /weights/layer0 is "lif" but its datasets are those of an adlif layer (dataset a present), as the reference reads them',
    });
  });

  it('names a kind with its article', () => {
    expect([withArticle('lif'), withArticle('adlif')]).toEqual(['a lif', 'an adlif']);
  });
});
