// SimpleRNN kernels of seqlab's fused layers (see seqlab_rnn_common.h for the layout).
#include "seqlab_rnn_common.h"

namespace seqlab {

// ----------------------------------------------------------------------------- SimpleRNN
REGISTER_OP("SeqlabRnn")
    .Input("x: float")
    .Input("w: float")
    .Input("r: float")
    .Input("b: float")
    .Input("mask: float")
    .SEQLAB_ACT_ATTRS
    .Output("h_seq: float")
    .Output("h_last: float")
    .SetShapeFn(tensorflow::shape_inference::UnknownShape);

class RnnOp : public OpKernel {
 public:
  explicit RnnOp(OpKernelConstruction* c) : OpKernel(c) { acts_.Read(c); }
  void Compute(OpKernelContext* ctx) override {
    Dims d;
    if (!ReadDims(ctx, 1, &d)) return;
    const int64_t B = d.B, T = d.T, U = d.U;
    if (!CheckSize(ctx, 3, "b", U, true) || !CheckSize(ctx, 4, "mask", B * T, true)) return;
    Tensor *hs, *hl, xw_t;
    OP_REQUIRES_OK(ctx, ctx->allocate_output(0, TensorShape({B, T, U}), &hs));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(1, TensorShape({B, U}), &hl));
    OP_REQUIRES_OK(ctx, ctx->allocate_temp(tensorflow::DT_FLOAT, TensorShape({B, T, U}), &xw_t));
    if (T == 0 || B == 0) return;
    const float* px = ctx->input(0).flat<float>().data();
    const float* pw = ctx->input(1).flat<float>().data();
    const Tensor& bias = ctx->input(3);
    const float* pb = bias.NumElements() == 0 ? nullptr : bias.flat<float>().data();
    const float* pm = MaskPtr(ctx->input(4));
    float* phs = hs->flat<float>().data();
    float* phl = hl->flat<float>().data();
    float* pxw = xw_t.flat<float>().data();
    CMapM R(ctx->input(2).flat<float>().data(), U, U);
    const Act a = acts_.act;
    const bool back = acts_.go_backwards;
    RunSharded(ctx, B, NumShards(ctx, B), [&](int, int64_t b0, int64_t b1) {
      const int64_t nb = b1 - b0;
      InputProjection(d, px, pw, pb, pxw, b0, nb);
      RowMat zeros = RowMat::Zero(nb, U);
      std::vector<int64_t> off;
      for (int64_t k = 0; k < T; ++k) {
        const int64_t t = back ? T - 1 - k : k;
        const float* hp = k == 0 ? zeros.data() : phs + (b0 * T + k - 1) * U;
        const int64_t ps = k == 0 ? U : T * U;
        float* h = phs + (b0 * T + k) * U;
        auto Hn = M(h, nb, U, T * U);
        Hn = CM(pxw + (b0 * T + t) * U, nb, U, T * U);
        SmallGemm(nb, U, U, hp, ps, 1, R.data(), U, h, T * U, true);
        ActInPlace(A(h, nb, U, T * U), a);
        MaskedRows(pm == nullptr ? nullptr : pm + b0 * T + t, nb, T, &off);
        for (int64_t b : off) std::copy(hp + b * ps, hp + b * ps + U, h + b * T * U);
      }
      A(phl + b0 * U, nb, U, U) = CA(phs + (b0 * T + T - 1) * U, nb, U, T * U);
    });
  }

 private:
  Activations acts_;
};
REGISTER_KERNEL_BUILDER(Name("SeqlabRnn").Device(DEVICE_CPU), RnnOp);

REGISTER_OP("SeqlabRnnGrad")
    .Input("x: float")
    .Input("w: float")
    .Input("r: float")
    .Input("mask: float")
    .Input("h_seq: float")
    .Input("dh_seq: float")
    .Input("dh_last: float")
    .SEQLAB_ACT_ATTRS
    .Output("dx: float")
    .Output("dw: float")
    .Output("dr: float")
    .Output("db: float")
    .SetShapeFn(tensorflow::shape_inference::UnknownShape);

class RnnGradOp : public OpKernel {
 public:
  explicit RnnGradOp(OpKernelConstruction* c) : OpKernel(c) { acts_.Read(c); }
  void Compute(OpKernelContext* ctx) override {
    Dims d;
    if (!ReadDims(ctx, 1, &d)) return;
    const int64_t B = d.B, T = d.T, U = d.U, F = d.F;
    if (!CheckSize(ctx, 3, "mask", B * T, true) || !CheckSize(ctx, 4, "h_seq", B * T * U, false) ||
        !CheckSize(ctx, 5, "dh_seq", B * T * U, true) || !CheckSize(ctx, 6, "dh_last", B * U, true)) {
      return;
    }
    const float* px = ctx->input(0).flat<float>().data();
    const float* pw = ctx->input(1).flat<float>().data();
    const float* pm = MaskPtr(ctx->input(3));
    const float* phs = ctx->input(4).flat<float>().data();
    const float* pdhs = ctx->input(5).NumElements() == 0 ? nullptr : ctx->input(5).flat<float>().data();
    const float* pdhl = ctx->input(6).NumElements() == 0 ? nullptr : ctx->input(6).flat<float>().data();
    Tensor *dx, *dw, *dr, *db, dxw_t;
    OP_REQUIRES_OK(ctx, ctx->allocate_output(0, TensorShape({B, T, F}), &dx));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(1, TensorShape({F, U}), &dw));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(2, TensorShape({U, U}), &dr));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(3, TensorShape({U}), &db));
    OP_REQUIRES_OK(ctx, ctx->allocate_temp(tensorflow::DT_FLOAT, TensorShape({B, T, U}), &dxw_t));
    float* pdxw = dxw_t.flat<float>().data();
    float* pdx = dx->flat<float>().data();
    CMapM R(ctx->input(2).flat<float>().data(), U, U);
    const Act a = acts_.act;
    const bool back = acts_.go_backwards;
    const RowMat Rt = R.transpose();
    const int64_t ns = NumShards(ctx, B);
    const bool batched = BatchedWeightGrad(d, back);
    std::vector<RowMat> dR(ns, RowMat::Zero(U, U)), dW(ns, RowMat::Zero(F, U)), dB(ns, RowMat::Zero(1, U));
    if (T > 0 && B > 0) RunSharded(ctx, B, ns, [&](int s, int64_t b0, int64_t b1) {
      const int64_t nb = b1 - b0;
      RowMat dhm = RowMat::Zero(nb, U), zeros = RowMat::Zero(nb, U);
      RowArr oldh;
      std::vector<int64_t> off;
      for (int64_t k = T - 1; k >= 0; --k) {
        const int64_t t = back ? T - 1 - k : k;
        const float* hp = k == 0 ? zeros.data() : phs + (b0 * T + k - 1) * U;
        const int64_t ps = k == 0 ? U : T * U;
        float* dz = pdxw + (b0 * T + t) * U;
        AddOutputGrad(d, pdhs, pdhl, b0, nb, k, &dhm);
        auto dh = dhm.array();
        MaskedRows(pm == nullptr ? nullptr : pm + b0 * T + t, nb, T, &off);
        if (!off.empty()) oldh = dh;
        auto DZa = A(dz, nb, U, T * U);
        DZa = dh;
        MulDAct(DZa, CA(phs + (b0 * T + k) * U, nb, U, T * U), a);
        for (int64_t b : off) std::fill(dz + b * T * U, dz + b * T * U + U, 0.f);
        SmallGemm(nb, U, U, dz, T * U, 1, Rt.data(), U, dhm.data(), U, false);
        if (!batched) SmallGemm(U, U, nb, hp, 1, ps, dz, T * U, dR[s].data(), U, true);
        for (int64_t b : off) dhm.row(b) = oldh.matrix().row(b);
      }
      if (batched) RecurrentWeightGrad(d, phs, pdxw, b0, nb, U, &dR[s]);
      InputProjectionGrad(d, px, pw, pdxw, pdx, b0, nb, &dW[s], &dB[s]);
    });
    SumShards(dR, dr->flat<float>().data(), U * U);
    SumShards(dW, dw->flat<float>().data(), F * U);
    SumShards(dB, db->flat<float>().data(), U);
  }

 private:
  Activations acts_;
};
REGISTER_KERNEL_BUILDER(Name("SeqlabRnnGrad").Device(DEVICE_CPU), RnnGradOp);

}  // namespace seqlab
