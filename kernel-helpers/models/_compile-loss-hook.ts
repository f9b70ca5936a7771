/**
 * Wrapping `tf.LayersModel.prototype.compile` to replace a model's loss functions after tfjs'
 * own compile, for the fused-loss patches (binary and sparse categorical cross-entropy), in a
 * way that survives those patches being uninstalled and installed again in any order.
 *
 * Each hook puts one wrapper into `compile` the first time it is installed. Uninstalling
 * removes the wrapper when it is the outermost one (nothing wrapped `compile` since);
 * otherwise the wrapper stays in the chain and passes through until the hook is installed
 * again. So no hook ever restores `compile` to a function below another wrapper, which would
 * drop that wrapper silently.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-node";

/** A loss function as tfjs-layers keeps it in `model.lossFunctions`. */
export type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

type Compile = (this: tf.LayersModel, args: tf.ModelCompileArgs) => void;

/**
 * Creates a hook: `install()` makes every model compiled from then on go through
 * `replace(lossFunctions, args)` after tfjs' compile, and returns the uninstall function.
 *
 * @param replace Given the compiled model's loss functions (one per output) and compile's
 *   arguments, returns the loss functions to use, or `null` to leave them.
 * @returns The hook.
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-node";
 * const hook = compileLossHook((fns) => fns.map((fn) => (t: tf.Tensor, p: tf.Tensor) => fn(t, p)));
 * const uninstall = hook.install();
 * uninstall();
 * tf.LayersModel.prototype.compile.name; // "compile"
 * ```
 */
export function compileLossHook(replace: (lossFunctions: LossFn[], args: tf.ModelCompileArgs) => LossFn[] | null): {
  install(): () => void;
} {
  let wrapper: { compile: Compile; original: Compile } | null = null;
  let enabled = false;
  return {
    install() {
      const proto = tf.LayersModel.prototype as unknown as { compile: Compile };
      if (wrapper === null) {
        const original = proto.compile;
        const compile = function (this: tf.LayersModel, args: tf.ModelCompileArgs): void {
          original.call(this, args);
          const model = this as unknown as { lossFunctions?: LossFn[] };
          if (!enabled || !Array.isArray(model.lossFunctions)) return;
          model.lossFunctions = replace(model.lossFunctions, args) ?? model.lossFunctions;
        };
        wrapper = { compile, original };
        proto.compile = compile;
      }
      enabled = true;
      return () => {
        enabled = false;
        if (wrapper !== null && proto.compile === wrapper.compile) {
          proto.compile = wrapper.original;
          wrapper = null;
        }
      };
    },
  };
}
