/**
 * The smallest autodiff that trains a transformer: a tensor is a Float32Array with a shape,
 * and a tape records, for every operation run during the forward pass, a closure that pushes
 * the output's gradient back to its inputs. `backward` replays the tape in reverse.
 *
 * Ops live in `ops.ts` and `attention.ts`; each takes the tape first. Passing `undefined`
 * instead of a tape runs the same arithmetic without recording anything (inference).
 */
export interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
  /** Gradient of the loss with respect to `data`; allocated on first use by `gradOf`. */
  grad: Float32Array | undefined;
}

export interface Tape {
  readonly steps: (() => void)[];
}

export function createTape(): Tape {
  return { steps: [] };
}

export function tensor(shape: readonly number[], data?: Float32Array): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  if (data && data.length !== size) throw new Error(`data has ${data.length} values, shape [${shape}] needs ${size}`);
  return { shape: [...shape], data: data ?? new Float32Array(size), grad: undefined };
}

/** The gradient buffer of `t`, created (zeroed) if missing. */
export function gradOf(t: Tensor): Float32Array {
  t.grad ??= new Float32Array(t.data.length);
  return t.grad;
}

/** Records a backward step; a no-op when running without a tape. */
export function record(tape: Tape | undefined, step: () => void): void {
  tape?.steps.push(step);
}

/** Back-propagates from a scalar `loss`, filling `grad` of every tensor that reached it. */
export function backward(tape: Tape, loss: Tensor): void {
  if (loss.data.length !== 1) throw new Error("backward needs a scalar loss");
  gradOf(loss)[0] = 1;
  for (let i = tape.steps.length - 1; i >= 0; i--) (tape.steps[i] as () => void)();
}
