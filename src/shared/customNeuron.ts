/**
 * A neuron the researcher defines, as text: declarations and the discrete step's update lines in a small
 * expression language. Parsed and checked here (shared, so the app's editor checks as you type and every
 * process reads a session's neuron alike); the engine turns the checked program into a definition
 * (services/engine/definitions/customKind.ts) and generates every backend's kernels from it.
 *
 *     state U, I                      the states (each starts at 0; each must be updated)
 *     param alpha in 0.5..0.99        a per-neuron parameter, drawn uniformly in lo..hi, learned
 *     param gain in 1..1 fixed        … or fixed (not learned)
 *     const q = 30                    a constant
 *     record U                        the value shown as the membrane (default: the first state)
 *     S = spike(U - theta)            the spike: exactly one line, S = spike(…)
 *     U = (beta*U + I) * (1 - detach(S))
 *     I = alpha*I + J
 *
 * Lines run in order. A name on the right means the value set by the latest line above that sets it, or, for a
 * state no line above sets, its value before the step; J is the input current (x_t·W_in + S_{t−1}·W_rec), theta
 * the threshold. Operators + − × ÷ (also - * /), unary minus, parentheses; functions exp, abs, sqrt, min, max,
 * spike (Θ of its argument, differentiated by the surrogate) and detach (its argument, not differentiated).
 * Other names on the left are temporaries. `#` starts a comment. Units are not tracked.
 */

export type CustomSurrogate = 'fast-sigmoid' | 'double-gaussian';
export const CUSTOM_SURROGATES: readonly CustomSurrogate[] = ['fast-sigmoid', 'double-gaussian'];

/** What a config holds for `neuron: 'custom'`. */
export interface CustomNeuronSpec {
  /** A short name for lists and messages. */
  name: string;
  /** The program (see above). */
  source: string;
  /** The spike's surrogate gradient: the fast sigmoid (scale = surrogateScale) or BRF's double Gaussian. */
  surrogate: CustomSurrogate;
}

export type CustomExpr =
  | { kind: 'num'; value: number }
  | { kind: 'name'; name: string }
  | { kind: 'neg'; a: CustomExpr }
  | { kind: 'bin'; op: '+' | '-' | '*' | '/'; a: CustomExpr; b: CustomExpr }
  | { kind: 'call'; fn: CustomFunction; args: CustomExpr[] };

export type CustomFunction = 'exp' | 'abs' | 'sqrt' | 'min' | 'max' | 'spike' | 'detach';
const ARITY: Readonly<Record<CustomFunction, number>> = { exp: 1, abs: 1, sqrt: 1, min: 2, max: 2, spike: 1, detach: 1 };

export interface CustomProgram {
  states: string[];
  params: { name: string; lo: number; hi: number; learn: boolean }[];
  consts: { name: string; value: number }[];
  /** The record shown as the membrane. */
  record: string;
  /** The update lines in order; `target` S is the spike. */
  lines: { line: number; target: string; expr: CustomExpr }[];
}

export interface CustomError {
  /** 1-based line of the source, 0 for the program as a whole (listed after the lines'). */
  line: number;
  message: string;
}

/** Names the language gives a meaning of its own, and the weights' names in the session file. */
const RESERVED = new Set(['J', 'S', 'theta', 'w_in', 'w_rec', 'state', 'param', 'const', 'record', 'in', 'fixed', ...Object.keys(ARITY)]);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

class ParseError extends Error {}

/** Tokens of an expression: numbers, names, operators (− × ÷ read as - * /), parentheses, commas. */
function tokens(text: string): string[] {
  const out: string[] = [];
  const re = /\s*(?:(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|([-+*/()×÷−,]))/y;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) throw new ParseError(`cannot read "${text.slice(at).trim().slice(0, 12)}"`);
    out.push((m[1] ?? m[2] ?? m[3]).replace('×', '*').replace('÷', '/').replace('−', '-'));
    at = re.lastIndex;
  }
  return out;
}

function parseExpr(text: string): CustomExpr {
  const t = tokens(text);
  let i = 0;
  const peek = () => t[i];
  const take = (want?: string) => {
    const tok = t[i];
    if (tok === undefined) throw new ParseError(want ? `expected "${want}" at the end` : 'the expression ends too early');
    if (want !== undefined && tok !== want) throw new ParseError(`expected "${want}", found "${tok}"`);
    i++;
    return tok;
  };
  const expr = (): CustomExpr => {
    let a = term();
    while (peek() === '+' || peek() === '-') {
      const op = take() as '+' | '-';
      a = { kind: 'bin', op, a, b: term() };
    }
    return a;
  };
  const term = (): CustomExpr => {
    let a = unary();
    while (peek() === '*' || peek() === '/') {
      const op = take() as '*' | '/';
      a = { kind: 'bin', op, a, b: unary() };
    }
    return a;
  };
  const unary = (): CustomExpr => {
    if (peek() === '-') {
      take();
      return { kind: 'neg', a: unary() };
    }
    if (peek() === '+') take();
    return primary();
  };
  const primary = (): CustomExpr => {
    const tok = take();
    if (tok === '(') {
      const e = expr();
      take(')');
      return e;
    }
    if (/^[\d.]/.test(tok)) return { kind: 'num', value: Number(tok) };
    if (NAME.test(tok)) {
      if (peek() !== '(') return { kind: 'name', name: tok };
      if (!(tok in ARITY)) throw new ParseError(`unknown function ${tok}(…); the functions are ${Object.keys(ARITY).join(', ')}`);
      take('(');
      const args: CustomExpr[] = [];
      if (peek() !== ')') {
        args.push(expr());
        while (peek() === ',') {
          take();
          args.push(expr());
        }
      }
      take(')');
      const fn = tok as CustomFunction;
      if (args.length !== ARITY[fn]) throw new ParseError(`${fn} takes ${ARITY[fn]} argument${ARITY[fn] === 1 ? '' : 's'}, not ${args.length}`);
      return { kind: 'call', fn, args };
    }
    throw new ParseError(`unexpected "${tok}"`);
  };
  if (t.length === 0) throw new ParseError('the expression is empty');
  const e = expr();
  if (i < t.length) throw new ParseError(`unexpected "${t[i]}" after a complete expression`);
  return e;
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return d[a.length][b.length];
}

function suggestion(name: string, known: Iterable<string>): string {
  let best = '';
  let bestD = Infinity;
  for (const k of known) {
    const dd = distance(name.toLowerCase(), k.toLowerCase());
    if (dd < bestD) [best, bestD] = [k, dd];
  }
  return bestD <= Math.max(2, Math.floor(name.length / 3)) ? `; did you mean ${best}?` : '';
}

function names(e: CustomExpr, out: string[] = []): string[] {
  if (e.kind === 'name') out.push(e.name);
  else if (e.kind === 'neg') names(e.a, out);
  else if (e.kind === 'bin') names(e.b, names(e.a, out));
  else if (e.kind === 'call') e.args.forEach((x) => names(x, out));
  return out;
}

const hasCall = (e: CustomExpr, fn: CustomFunction): boolean =>
  e.kind === 'call' ? e.fn === fn || e.args.some((x) => hasCall(x, fn)) : e.kind === 'neg' ? hasCall(e.a, fn) : e.kind === 'bin' ? hasCall(e.a, fn) || hasCall(e.b, fn) : false;

/** The program of `source`, or every error found, each in words with its line. */
export function parseCustomNeuron(source: string): { program: CustomProgram; errors: [] } | { program: null; errors: CustomError[] } {
  const errors: CustomError[] = [];
  const program: CustomProgram = { states: [], params: [], consts: [], record: '', lines: [] };
  const declared = new Map<string, number>();
  let recordAt: { name: string; line: number } | null = null;
  // Targets of lines that did not parse: counted as set, so one typo gives one message, not a cascade.
  const unparsed = new Set<string>();
  const declare = (name: string, line: number) => {
    if (!NAME.test(name)) errors.push({ line, message: `"${name}" is not a name (letters, digits and _, not starting with a digit)` });
    else if (RESERVED.has(name)) errors.push({ line, message: `${name} is reserved (${name === 'J' ? 'the input current' : name === 'S' ? 'the spike' : name === 'theta' ? 'the threshold' : 'a word of the language'}); choose another name` });
    else if (declared.has(name)) errors.push({ line, message: `${name} is declared twice (first on line ${declared.get(name)})` });
    else {
      declared.set(name, line);
      return true;
    }
    return false;
  };
  const number = (text: string, line: number, what: string): number => {
    const x = Number(text.trim());
    if (text.trim() === '' || !Number.isFinite(x)) {
      errors.push({ line, message: `${what} must be a number (got "${text.trim()}")` });
      return NaN;
    }
    return x;
  };

  source.split('\n').forEach((raw, k) => {
    const line = k + 1;
    const text = raw.replace(/#.*/, '').trim();
    if (!text) return;
    let m: RegExpExecArray | null;
    if ((m = /^state\s+(.+)$/.exec(text))) {
      for (const n of m[1].split(',').map((x) => x.trim())) if (declare(n, line)) program.states.push(n);
    } else if ((m = /^param\s+(\S+)\s+in\s+(.+?)\s*\.\.\s*(\S+?)(\s+fixed)?$/.exec(text))) {
      const [lo, hi] = [number(m[2], line, `the low end of ${m[1]}`), number(m[3], line, `the high end of ${m[1]}`)];
      if (lo > hi) errors.push({ line, message: `${m[1]}: the range ${lo}..${hi} runs backwards` });
      if (declare(m[1], line)) program.params.push({ name: m[1], lo, hi, learn: !m[4] });
    } else if (/^param\b/.test(text)) {
      errors.push({ line, message: 'a parameter is declared as "param NAME in LO..HI" (add "fixed" to keep it from learning)' });
    } else if ((m = /^const\s+(\S+)\s*=\s*(.+)$/.exec(text))) {
      const v = number(m[2], line, `the constant ${m[1]}`);
      if (declare(m[1], line)) program.consts.push({ name: m[1], value: v });
    } else if ((m = /^record\s+(\S+)$/.exec(text))) {
      recordAt = { name: m[1], line };
    } else if ((m = /^([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(text))) {
      try {
        program.lines.push({ line, target: m[1], expr: parseExpr(m[2]) });
      } catch (err) {
        if (!(err instanceof ParseError)) throw err;
        errors.push({ line, message: `${m[1]} = …: ${err.message}` });
        unparsed.add(m[1]);
      }
    } else {
      errors.push({ line, message: 'not a declaration (state, param, const, record) nor an update "NAME = expression"' });
    }
  });

  // What each line may read: declared names, J, theta, and what the lines above set.
  const states = new Set(program.states);
  const setOnLine = new Map<string, number>();
  const laterSet = new Map<string, number>();
  for (const l of program.lines) if (!laterSet.has(l.target)) laterSet.set(l.target, l.line);
  let spikeLines = 0;
  for (const l of program.lines) {
    const fixedName = program.params.some((p) => p.name === l.target) || program.consts.some((c) => c.name === l.target);
    if (fixedName) errors.push({ line: l.line, message: `${l.target} is a ${program.params.some((p) => p.name === l.target) ? 'parameter' : 'constant'}; a line cannot set it` });
    if (l.target === 'J' || l.target === 'theta') errors.push({ line: l.line, message: `${l.target} is ${l.target === 'J' ? 'the input current' : 'the threshold'}; a line cannot set it` });
    if (l.target === 'S') {
      spikeLines++;
      if (!(l.expr.kind === 'call' && l.expr.fn === 'spike')) errors.push({ line: l.line, message: 'the spike is set as S = spike(expression): the surrogate differentiates spike(…)' });
      else if (hasCall(l.expr.args[0], 'spike')) errors.push({ line: l.line, message: 'spike(…) inside spike(…)' });
    } else if (hasCall(l.expr, 'spike')) {
      errors.push({ line: l.line, message: 'spike(…) may only set S (use S on other lines)' });
    }
    for (const n of new Set(names(l.expr))) {
      const known = states.has(n) || declared.has(n) || n === 'J' || n === 'theta' || setOnLine.has(n) || unparsed.has(n);
      if (known) continue;
      if (laterSet.has(n)) errors.push({ line: l.line, message: `${n} is used before line ${laterSet.get(n)} sets it` });
      else errors.push({ line: l.line, message: `unknown name ${n}${suggestion(n, [...declared.keys(), ...setOnLine.keys(), 'J', 'theta'])}` });
    }
    if (!NAME.test(l.target)) errors.push({ line: l.line, message: `"${l.target}" is not a name` });
    setOnLine.set(l.target, l.line);
  }
  if (program.states.length === 0) errors.push({ line: 0, message: 'no state: declare at least one, e.g. "state U"' });
  for (const s of program.states) if (!setOnLine.has(s) && !unparsed.has(s)) errors.push({ line: declared.get(s) ?? 0, message: `state ${s} is never updated: add a line "${s} = …"` });
  if (spikeLines === 0 && !unparsed.has('S')) errors.push({ line: 0, message: 'no spike: add a line "S = spike(…)", e.g. S = spike(U - theta)' });
  if (spikeLines > 1) errors.push({ line: 0, message: 'S is set on more than one line' });
  const rec = recordAt as { name: string; line: number } | null;
  if (rec && !states.has(rec.name) && !setOnLine.has(rec.name)) errors.push({ line: rec.line, message: `record ${rec.name}: not a state nor a value a line sets` });
  program.record = rec?.name ?? program.states[0] ?? '';
  return errors.length ? { program: null, errors: errors.sort((a, b) => (a.line || Infinity) - (b.line || Infinity)) } : { program, errors: [] };
}

/** A spec's problems, each as one line (`line N: …`), for the config's validation; [] when it is sound. */
export function customNeuronErrors(spec: unknown): string[] {
  if (typeof spec !== 'object' || spec === null) return ['must be an object with name, source and surrogate'];
  const s = spec as Record<string, unknown>;
  const out: string[] = [];
  if (typeof s.name !== 'string' || !/^[A-Za-z0-9_ -]{1,40}$/.test(s.name)) out.push('name must be 1–40 letters, digits, spaces, _ or -');
  if (typeof s.source !== 'string' || s.source.length > 20_000) out.push('source must be a text of at most 20 000 characters');
  if (!CUSTOM_SURROGATES.includes(s.surrogate as CustomSurrogate)) out.push(`surrogate must be one of ${CUSTOM_SURROGATES.join(', ')}`);
  if (typeof s.source === 'string' && s.source.length <= 20_000) {
    const r = parseCustomNeuron(s.source);
    for (const e of r.errors) out.push(e.line ? `line ${e.line}: ${e.message}` : e.message);
  }
  return out;
}

/** The LIF neuron in the language: the editor's starting text (and a check that the language can say it). */
export const EXAMPLE_CUSTOM_SOURCE = `# Leaky integrate-and-fire with a current synapse (the seed neuron)
state U, I
param alpha in 0.8187..0.8187 fixed   # exp(-dt/5 ms) at dt = 1 ms
param beta in 0.9048..0.9048 fixed    # exp(-dt/10 ms)
record U
S = spike(U - theta)
U = (beta*U + I) * (1 - detach(S))
I = alpha*I + J`;
