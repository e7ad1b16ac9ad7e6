/**
 * The cochlea front end: a recording → spikes on `channels` auditory-nerve-like channels, the kind of input SHD
 * holds (Cramer et al. 2020 used a hydrodynamic basilar membrane, hair cells and bushy cells; this is the
 * classic simpler chain, so a network trained on real SHD sees a different front end — train on files encoded
 * here to use it on your own audio).
 *
 * 1. Resample to fs (`sampleRateHz`, windowed sinc) and remove the mean. Level normalisation: divide by the
 *    largest RMS over 25 ms windows (hop 10 ms), so the loudest part of every recording has RMS 1 whatever the
 *    microphone gain. A recording that is all digital silence gives no spikes.
 * 2. Basilar membrane: the ERB-spaced gammatone filterbank of gammatone.ts, y_c[n] for channel c.
 * 3. Inner hair cell: half-wave rectification and a two-pole low-pass at 1 kHz (the loss of phase locking
 *    above ~1 kHz), h_c = LP(max(0, y_c)), then taken every D = ⌊fs / 4000⌋ samples (dt = D / fs ≈ 0.25 ms).
 * 4. Compression and range: with the floor θ = 10^(−rangeDb/20) and exponent p (`compression`),
 *        d_c = max(0, h_c^p − θ^p) / (1 − θ^p),
 *    so sound rangeDb below the loudest part and quieter drives nothing.
 * 5. Adaptation (spike-rate adaptation of the auditory nerve: onsets fire most):
 *        a_c ← a_c + (dt / τ_a) · (d_c − a_c),      r_c = maxRateHz · max(0, d_c − α · a_c)
 *    with α = `adaptation`, τ_a = `adaptationTauS`.
 * 6. Spike encoder: integrate-and-fire on the rate, φ_c ← φ_c + r_c · dt; when φ_c ≥ ϑ_c,k (and the last
 *    spike is at least `refractoryS` ago) channel c spikes and φ_c ← φ_c − ϑ_c,k. The thresholds
 *    ϑ_c,k = 0.5 + u_c,k, with u uniform in [0, 1) hashed from (seed, c, k), are what keeps neighbouring
 *    channels from firing in lock-step; the same seed gives the same spikes.
 * Spikes come out sorted by time (then channel), times in seconds from the start of the recording.
 */
import type { CochleaOptions } from '../../shared/cochlea';
import { mix } from '../random/hashMix';
import { centreFrequencies, gammatoneChannel } from './gammatone';
import { resample } from './resample';
import type { Audio } from './wav';

export interface EncodedSpikes {
  times: Float32Array;
  units: Uint16Array;
  durationS: number;
}

/** The normalised, resampled waveform the filterbank sees (step 1); null for digital silence. */
export function prepareWaveform(audio: Audio, fs: number): Float32Array | null {
  const x = resample(audio.samples, audio.sampleRateHz, fs);
  let mean = 0;
  for (let i = 0; i < x.length; i++) mean += x[i];
  mean /= x.length;
  for (let i = 0; i < x.length; i++) x[i] -= mean;
  const win = Math.max(1, Math.round(0.025 * fs));
  const hop = Math.max(1, Math.round(0.01 * fs));
  let loudest = 0;
  for (let start = 0; start === 0 || start + win <= x.length; start += hop) {
    const end = Math.min(x.length, start + win);
    let e = 0;
    for (let i = start; i < end; i++) e += x[i] * x[i];
    loudest = Math.max(loudest, Math.sqrt(e / (end - start)));
    if (end === x.length) break;
  }
  if (!(loudest > 1e-9)) return null;
  for (let i = 0; i < x.length; i++) x[i] /= loudest;
  return x;
}

export function encodeAudio(audio: Audio, o: CochleaOptions): EncodedSpikes {
  const fs = o.sampleRateHz;
  const durationS = audio.samples.length / audio.sampleRateHz;
  const x = prepareWaveform(audio, fs);
  if (!x) return { times: new Float32Array(0), units: new Uint16Array(0), durationS };
  const D = Math.max(1, Math.floor(fs / 4000));
  const dt = D / fs;
  const steps = Math.floor(x.length / D);
  const lp = Math.exp((-2 * Math.PI * 1000) / fs); // one-pole coefficient of the hair cell's 1 kHz low-pass
  const hFloor = 10 ** (-o.rangeDb / 20);
  const floor = hFloor ** o.compression;
  const adaptGain = dt / o.adaptationTauS;
  const refractorySteps = o.refractoryS / dt;
  const freqs = centreFrequencies(o.channels, o.lowHz, o.highHz);
  const y = new Float32Array(x.length);
  const spikeStep: number[] = [];
  const spikeUnit: number[] = [];

  for (let c = 0; c < o.channels; c++) {
    gammatoneChannel(x, fs, freqs[c], y);
    let l1 = 0;
    let l2 = 0;
    let a = 0;
    let phi = 0;
    let k = 0;
    let theta = 0.5 + mix((o.seed ^ mix(c + 1)) >>> 0) / 2 ** 32;
    let last = -Infinity;
    let n = 0;
    for (let s = 0; s < steps; s++) {
      for (const end = n + D; n < end; n++) {
        const v = y[n] > 0 ? y[n] : 0;
        l1 = lp * l1 + (1 - lp) * v;
        l2 = lp * l2 + (1 - lp) * l1;
      }
      // exp(p·ln h) is about twice as fast as h ** p here, and nothing below the floor needs either.
      const d = l2 > hFloor ? (Math.exp(o.compression * Math.log(l2)) - floor) / (1 - floor) : 0;
      a += adaptGain * (d - a);
      const r = d - o.adaptation * a;
      if (r > 0) phi += o.maxRateHz * r * dt;
      if (phi >= theta && s - last >= refractorySteps) {
        spikeStep.push(s);
        spikeUnit.push(c);
        phi -= theta;
        last = s;
        k++;
        theta = 0.5 + mix((o.seed ^ mix((c + 1) * 0x9e3779b1 + k)) >>> 0) / 2 ** 32;
      }
    }
  }

  // Sort by time step, then channel (channels were visited in order, so a stable sort by step does both).
  const order = Array.from(spikeStep.keys()).sort((i, j) => spikeStep[i] - spikeStep[j] || spikeUnit[i] - spikeUnit[j]);
  const times = new Float32Array(order.length);
  const units = new Uint16Array(order.length);
  order.forEach((i, j) => {
    times[j] = (spikeStep[i] + 1) * dt;
    units[j] = spikeUnit[i];
  });
  return { times, units, durationS };
}
