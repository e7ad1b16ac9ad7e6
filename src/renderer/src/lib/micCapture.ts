/**
 * Microphone capture for the Listen view: getUserMedia (asked only when the user presses Record or Live), the
 * samples collected from a ScriptProcessor (no worklet module to load, which the app's CSP would refuse), and
 * a stop that releases the microphone.
 */
export interface MicCapture {
  sampleRateHz: number;
  /** Every chunk so far (the caller keeps what it needs). */
  chunks: Float32Array[];
  stop(): void;
}

export async function startMic(onChunk?: () => void): Promise<MicCapture> {
  if (!navigator.mediaDevices?.getUserMedia) throw new Error('this browser offers no microphone access (getUserMedia)');
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
  const ctx = new AudioContext();
  const source = ctx.createMediaStreamSource(stream);
  const proc = ctx.createScriptProcessor(4096, 1, 1);
  const capture: MicCapture = {
    sampleRateHz: ctx.sampleRate,
    chunks: [],
    stop: () => {
      proc.disconnect();
      source.disconnect();
      for (const t of stream.getTracks()) t.stop();
      void ctx.close();
    },
  };
  proc.onaudioprocess = (e) => {
    capture.chunks.push(new Float32Array(e.inputBuffer.getChannelData(0)));
    onChunk?.();
  };
  source.connect(proc);
  // A ScriptProcessor runs only when connected to the output; it writes silence there.
  proc.connect(ctx.destination);
  return capture;
}
