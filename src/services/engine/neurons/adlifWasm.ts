import type { Func } from '../wasmAssembler';

export const adlifWasmFuncs: readonly (() => Func)[] = [];
