import { strict as assert } from "node:assert";
import * as tf from "@tensorflow/tfjs-node";
import { lossFunctions, withoutPatches } from "./_helpers";

const BCE = "tfjs binaryCrossentropy loss";
const SCE = "tfjs sparseCategoricalCrossentropy loss";

/** The loss function a model compiled now with `loss` gets. */
function compiledLoss(loss: string): (t: tf.Tensor, p: tf.Tensor) => tf.Tensor {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [1] })] });
  model.compile({ optimizer: "sgd", loss });
  const fn = lossFunctions(model)[0];
  model.dispose();
  return fn;
}

/** tfjs-layers' own loss functions (the same function objects for every model). */
const stock = withoutPatches([SCE, BCE], () => ({ sce: compiledLoss("sparseCategoricalCrossentropy"), bce: compiledLoss("binaryCrossentropy") }));

/** Whether each loss patch is in effect for a model compiled now (its loss function is not tfjs' own). */
function fused(): { sce: boolean; bce: boolean } {
  return { sce: compiledLoss("sparseCategoricalCrossentropy") !== stock.sce, bce: compiledLoss("binaryCrossentropy") !== stock.bce };
}

describe("fused-loss compile hooks", function () {
  this.timeout(60_000);

  it("tfjs' own functions are shared by every model (what the check below relies on)", () => {
    withoutPatches([SCE, BCE], () => {
      assert.equal(compiledLoss("sparseCategoricalCrossentropy"), stock.sce);
      assert.equal(compiledLoss("binaryCrossentropy"), stock.bce);
    });
  });

  it("the two loss patches can be uninstalled and installed again in any order, compiling models in between, and stay in effect", () => {
    assert.deepEqual(fused(), { sce: true, bce: true });
    const orders = [[BCE, SCE], [SCE, BCE], [BCE, SCE], [SCE], [BCE], [SCE, BCE], [BCE, SCE]];
    for (const order of orders) {
      const inside = withoutPatches(order, () => fused());
      assert.deepEqual(inside, { sce: !order.includes(SCE), bce: !order.includes(BCE) }, `while ${order.join(", ")} uninstalled`);
      assert.deepEqual(fused(), { sce: true, bce: true }, `after uninstalling ${order.join(", ")} and installing again`);
    }
  });
});
