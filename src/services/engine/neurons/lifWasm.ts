import type { Func } from '../wasmAssembler';

export const lifWasmFuncs: readonly (() => Func)[] = [];
