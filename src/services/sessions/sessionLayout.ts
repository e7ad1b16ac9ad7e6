/**
 * Session files: one HDF5 file per training session, written with h5wasm and readable by h5py.
 *
 * Layout (format "spiking-workbench-session", version 2; H_l = neurons of hidden layer l, K = classes):
 *
 *     /                              attrs: format = "spiking-workbench-session", format_version = 2 (int32),
 *                                           epochs_done (int32), channels (int32; the data's channels
 *                                           before pooling, which w_in's ceil(channels/pool) rows cannot tell),
 *                                           config = the TrainConfig as a JSON string (keys and units as in
 *                                                    src/shared/config.ts, times in seconds)
 *     /weights/layer{l}              attrs: kind = the layer's neuron kind ("lif" | "adlif" | "brf" | "csilif" | "custom"; files before it lack
 *                                           it and are told by their datasets, as below)
 *     /weights/layer{l}/w_in         float32 [in_l, H_l]  x·W orientation; in_0 = ceil(channels/pool), in_l = H_{l−1}
 *     /weights/layer{l}/w_rec        float32 [H_l, H_l]   only for a recurrent layer: += S_{t−1} · W_rec
 *     /weights/layer{l}/tau_syn, tau_mem            float32 [H_l]  lif, seconds: α = exp(−dt/τ_syn), β = exp(−dt/τ_mem)
 *     /weights/layer{l}/tau_mem, tau_adapt, a, b    float32 [H_l]  adlif, seconds: α = exp(−dt/τ_mem), β = exp(−dt/τ_adapt)
 *     /weights/layer{l}/<parameter>                 float32 [H_l]  any other kind: each parameter of its definition by
 *                                                   name (brf omega, b_offset; a custom neuron's own names), decays as τ
 *     /weights/layer{l}/rec_delay, ff_delay         float32 [H_l]  learnable delays (steps), for the layers that have them (layerDelays.ts)
 *     /weights/readout/w             float32 [H_last, K]
 *     /weights/readout/tau_syn, tau_mem  float32 [K]      seconds
 *     /decays/layer{l}/alpha, beta   float32 [H_l]        the exact decays (τ = −dt/ln(decay) does not round-trip
 *     /decays/readout/alpha, beta    float32 [K]           bit-exactly, and resume must continue bit-identically)
 *     /optimizer                     attrs: name ("adam" | "adamax"), step (float64; update steps taken)
 *     /optimizer/m/<param>           float32, one per parameter of the layout (`layer0/w_in`, …, `readout/beta`),
 *     /optimizer/v/<param>           shaped like it: first moments; second moments (adam) or infinity norms (adamax)
 *     /history/<key>                 one dataset per EpochRecord key, [epochs_done] each: epoch (int32),
 *                                    train_loss, train_acc, val_loss, val_acc (NaN without validation),
 *                                    test_loss, test_acc, lr, train_s, eval_s (float64)
 *     /                              attrs (training protocol): schedule = the learning-rate schedule's state,
 *                                    validation = how the validation set was made (both JSON strings)
 *     /selected/<param>              float32, shaped as the tensor: the selected epoch's parameters (best
 *                                    validation accuracy); attr epoch (int32). /weights holds the last epoch's.
 *     /meta                          attrs: created (ISO 8601), app_version, backend, dataset_name,
 *                                           dataset_fingerprint, train_samples, test_samples (int32),
 *                                           class_names (array of strings, one per class),
 *                                           speaker_names (optional: the training data's, by speaker id)
 *
 * Files written before the training protocol lack its parts: they read as trained on the whole training
 * file at a constant rate (no validation columns, the last epoch selected). Format 1 (`/weights/w1, v1, w2`: one
 * LIF layer, scalar τ in the config) is still read (sessionFormatV1.ts).
 *
 * `/weights/*` are exactly what `snn_reference.py --eval-session` reads (its `read_session`), which tells the
 * kind of a layer by its datasets (`a` present → adlif); the attribute `kind` says it outright for every other
 * reader and must agree with the datasets (layerKind.ts). In h5py: `w = f["weights/layer0/w_in"][()]`,
 * `cfg = json.loads(f.attrs["config"])`, `acc = f["history/test_acc"][()]`.
 *
 * Written by sessionWrite.ts (checked first by sessionWriteCheck.ts), read and checked by sessionRead.ts.
 * This file holds the names and constants both sides share, so the writer and the reader cannot drift apart.
 */
import type { ParamSpec } from '../engine/definitions/neuronDefinition';
import type h5wasm from 'h5wasm/node';

export const SESSION_FORMAT = 'spiking-workbench-session';
export const SESSION_FORMAT_VERSION = 2;

export const HISTORY_KEYS = ['epoch', 'train_loss', 'train_acc', 'test_loss', 'test_acc', 'train_s', 'eval_s'] as const;
/** History columns of the training protocol; files from before it lack them (no validation, constant rate). */
export const PROTOCOL_HISTORY_KEYS = ['val_loss', 'val_acc', 'lr'] as const;

/**
 * How far a stored decay may be from exp(−dt/τ) of its stored τ. Writing τ in float32 and deriving the decay
 * again moves it by a few float32 ulps (≤ 1.2e-7 each below 1); any edit of τ by hand moves it by far more.
 */
export const DECAY_TAU_TOLERANCE = 1e-6;

/**
 * The dataset a hidden layer's parameter is stored as, from its kind's definition: a decay as the τ (seconds) of
 * the span it is drawn from (`tauMemS` → `tau_mem`), with the exact decay under /decays by the parameter's name;
 * any other parameter as itself, under its name (adlif `a`, `b`).
 */
export function paramDataset(p: ParamSpec): string {
  return 'decayOf' in p.init ? `tau_${p.init.decayOf.slice(3, -1).toLowerCase()}` : p.name;
}
export const READOUT_TAUS = ['tau_syn', 'tau_mem'] as const;

export type H5Group = InstanceType<typeof h5wasm.Group>;

/** The index of the first NaN or ±Inf, or −1: the format holds only finite floats, so both sides look for one. */
export function firstNonFinite(a: ArrayLike<number>): number {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return i;
  return -1;
}
