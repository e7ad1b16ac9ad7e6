/**
 * The neuron kind of a session's hidden layer. Files written now say it in the attribute `kind` on
 * `/weights/layer{l}`; files written before it (and by other tools) say it only through their datasets, as the
 * reference's `read_session` reads every file: a layer with dataset `a` is adlif, any other lif. An attribute
 * is only added, never a dataset renamed, so the reference reads both alike; the reader therefore also
 * requires the attribute to agree with the datasets, else the reference would evaluate another network.
 */
import { NEURONS, type NeuronKind } from '../../shared/config';

/** The attribute on `/weights/layer{l}` that names the layer's neuron kind (a string, one of NEURONS). */
export const LAYER_KIND_ATTR = 'kind';

/** How a layer's kind was told, for messages: from the attribute or from its datasets. */
export interface LayerKind {
  kind: NeuronKind;
  /** e.g. "attribute kind", "dataset a present", "no dataset a". */
  toldBy: string;
}

/**
 * Files without the attribute: the reference's rule (`omega` present → brf, `a` present → adlif, else lif), and
 * before it `log_dt` present → csilif (a kind the reference does not run; its layers always carry the attribute,
 * which must agree with this).
 */
export function kindByDatasets(has: (dataset: string) => boolean): LayerKind {
  if (has('log_dt')) return { kind: 'csilif', toldBy: 'dataset log_dt present' };
  if (has('omega')) return { kind: 'brf', toldBy: 'dataset omega present' };
  return has('a') ? { kind: 'adlif', toldBy: 'dataset a present' } : { kind: 'lif', toldBy: 'no dataset omega or a' };
}

/** "a lif", "an adlif": the article a message needs before a kind's name. */
export function withArticle(kind: string): string {
  return `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind}`;
}

/**
 * The kind of the layer group `group` (its path without the leading slash, for messages): the attribute's
 * when it is there (`attr` is its JSON value, `undefined` when absent), else the datasets'. Returns an error
 * message instead when the attribute names no kind or disagrees with the datasets.
 */
export function layerKind(group: string, attr: unknown, has: (dataset: string) => boolean): LayerKind | { error: string } {
  const byDatasets = kindByDatasets(has);
  if (attr === undefined) return byDatasets;
  if (typeof attr !== 'string' || !NEURONS.includes(attr as NeuronKind)) {
    return { error: `attribute ${LAYER_KIND_ATTR} on /${group} is ${JSON.stringify(attr)}, expected one of ${NEURONS.join(', ')}` };
  }
  // A user-defined neuron's parameters have names of their choosing (an `a` of its own is no adlif's): the reference
  // cannot read such a layer, and the config's program says what it holds.
  if (attr !== byDatasets.kind && attr !== 'custom') {
    return {
      error:
        `attribute ${LAYER_KIND_ATTR} on /${group} is "${attr}" but its datasets are those of ${withArticle(byDatasets.kind)} layer ` +
        `(${byDatasets.toldBy}), as the reference reads them`,
    };
  }
  return { kind: attr as NeuronKind, toldBy: `attribute ${LAYER_KIND_ATTR}` };
}
