// The output layer of the course's recurrent models as one kernel forward and one backward:
// tfjs-layers' Dense on a [batch, features] input, `y = act(x · kernel + bias)`, which tfjs runs
// as a matmul, a bias add and an activation (and under a gradient tape, eight more ops for their
// gradients), each costing tens of microseconds through tfjs-node where the arithmetic of a
// [64, 32] · [32, 1] layer costs well under one (see kernel-helpers/models/_training-patches.ts).
//
// - SeqlabDense: y [B, N] = act(x [B, K] · kernel [K, N] + bias [N]) (bias may be empty);
// - SeqlabDenseGrad: from dy and y, dz = dy · act'(z) written through y as tfjs' gradients
//   write it, then dx = dz · kernelᵀ, dkernel = xᵀ · dz and dbias = dz's column sums.
//
// The products run on the calling thread (the layers it is used for are small; the TypeScript
// side keeps large ones on TensorFlow's multi-threaded MatMul). Every input's size is checked.
#include "seqlab_rnn_common.h"

namespace seqlab {

#define SEQLAB_DENSE_ACTIVATIONS "{'linear', 'sigmoid', 'tanh', 'relu'}"

REGISTER_OP("SeqlabDense")
    .Input("x: float")
    .Input("kernel: float")
    .Input("bias: float")
    .Attr("activation: " SEQLAB_DENSE_ACTIVATIONS " = 'linear'")
    .Output("y: float")
    .SetShapeFn(tensorflow::shape_inference::UnknownShape);

REGISTER_OP("SeqlabDenseGrad")
    .Input("dy: float")
    .Input("x: float")
    .Input("kernel: float")
    .Input("y: float")
    .Attr("activation: " SEQLAB_DENSE_ACTIVATIONS " = 'linear'")
    .Attr("has_bias: bool = true")
    .Output("dx: float")
    .Output("dkernel: float")
    .Output("dbias: float")
    .SetShapeFn(tensorflow::shape_inference::UnknownShape);

// Reads x [B, K] and kernel [K, N]; false after failing the op.
static bool DenseDims(OpKernelContext* ctx, int x_index, int64_t* B, int64_t* K, int64_t* N) {
  const Tensor& x = ctx->input(x_index);
  const Tensor& w = ctx->input(x_index + 1);
  if (x.dims() != 2 || w.dims() != 2 || x.dim_size(1) != w.dim_size(0)) {
    ctx->CtxFailure(tensorflow::errors::InvalidArgument("x must be [batch, K] and kernel [K, units], got x ",
                                                        x.shape().DebugString(), " and kernel ",
                                                        w.shape().DebugString()));
    return false;
  }
  *B = x.dim_size(0);
  *K = x.dim_size(1);
  *N = w.dim_size(1);
  return true;
}

// The activation attribute of both ops.
static void ReadDenseAct(OpKernelConstruction* c, Act* act) {
  std::string name;
  OP_REQUIRES_OK(c, c->GetAttr("activation", &name));
  OP_REQUIRES(c, ParseAct(name, act), tensorflow::errors::InvalidArgument("unknown activation '", name, "'"));
}

class DenseOp : public OpKernel {
 public:
  explicit DenseOp(OpKernelConstruction* c) : OpKernel(c) { ReadDenseAct(c, &act_); }
  void Compute(OpKernelContext* ctx) override {
    int64_t B, K, N;
    if (!DenseDims(ctx, 0, &B, &K, &N) || !CheckSize(ctx, 2, "bias", N, true)) return;
    Tensor* out;
    OP_REQUIRES_OK(ctx, ctx->allocate_output(0, TensorShape({B, N}), &out));
    if (B * N == 0) return;
    float* py = out->flat<float>().data();
    MapM Y(py, B, N);
    if (K == 0) {
      Y.setZero();
    } else {
      Y.noalias() = CMapM(ctx->input(0).flat<float>().data(), B, K) * CMapM(ctx->input(1).flat<float>().data(), K, N);
    }
    const Tensor& bias = ctx->input(2);
    if (bias.NumElements() > 0) {
      Y.rowwise() += Eigen::Map<const Eigen::RowVectorXf>(bias.flat<float>().data(), N);
    }
    ActInPlace(A(py, B, N, N), act_);
  }

 private:
  Act act_ = kLinear;
};
REGISTER_KERNEL_BUILDER(Name("SeqlabDense").Device(DEVICE_CPU), DenseOp);

class DenseGradOp : public OpKernel {
 public:
  explicit DenseGradOp(OpKernelConstruction* c) : OpKernel(c) {
    ReadDenseAct(c, &act_);
    OP_REQUIRES_OK(c, c->GetAttr("has_bias", &has_bias_));
  }
  void Compute(OpKernelContext* ctx) override {
    int64_t B, K, N;
    if (!DenseDims(ctx, 1, &B, &K, &N) || !CheckSize(ctx, 0, "dy", B * N, false) ||
        !CheckSize(ctx, 3, "y", B * N, act_ == kLinear)) {
      return;
    }
    Tensor *dx, *dw, *db;
    OP_REQUIRES_OK(ctx, ctx->allocate_output(0, TensorShape({B, K}), &dx));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(1, TensorShape({K, N}), &dw));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(2, TensorShape({has_bias_ ? N : 0}), &db));
    // dz = dy · act'(z), as tfjs' Sigmoid / Tanh / Relu gradients compute it from y.
    RowMat dz = CMapM(ctx->input(0).flat<float>().data(), B, N);
    if (act_ != kLinear) {
      MulDAct(A(dz.data(), B, N, N), CA(ctx->input(3).flat<float>().data(), B, N, N), act_);
    }
    const CMapM X(ctx->input(1).flat<float>().data(), B, K);
    const CMapM W(ctx->input(2).flat<float>().data(), K, N);
    MapM DX(dx->flat<float>().data(), B, K);
    MapM DW(dw->flat<float>().data(), K, N);
    if (N == 0) {
      DX.setZero();
    } else {
      DX.noalias() = dz * W.transpose();
    }
    if (B == 0) {
      DW.setZero();
    } else {
      DW.noalias() = X.transpose() * dz;
    }
    if (has_bias_) Eigen::Map<Eigen::RowVectorXf>(db->flat<float>().data(), N) = dz.colwise().sum();
  }

 private:
  Act act_ = kLinear;
  bool has_bias_ = true;
};
REGISTER_KERNEL_BUILDER(Name("SeqlabDenseGrad").Device(DEVICE_CPU), DenseGradOp);

}  // namespace seqlab
