// LSTM kernels of seqlab's fused layers (see seqlab_rnn_common.h for the layout).
#include "seqlab_rnn_common.h"

namespace seqlab {

// ---------------------------------------------------------------------------------- LSTM
REGISTER_OP("SeqlabLstm")
    .Input("x: float")
    .Input("w: float")
    .Input("r: float")
    .Input("b: float")
    .Input("mask: float")
    .SEQLAB_ACT_ATTRS
    .Output("h_seq: float")
    .Output("c_seq: float")
    .Output("gates: float")
    .Output("h_last: float")
    .SetShapeFn(tensorflow::shape_inference::UnknownShape);

class LstmOp : public OpKernel {
 public:
  explicit LstmOp(OpKernelConstruction* c) : OpKernel(c) { acts_.Read(c); }
  void Compute(OpKernelContext* ctx) override {
    Dims d;
    if (!ReadDims(ctx, 4, &d)) return;
    const int64_t B = d.B, T = d.T, U = d.U, G = d.G;
    if (!CheckSize(ctx, 3, "b", G, true) || !CheckSize(ctx, 4, "mask", B * T, true)) return;
    Tensor *hs, *cs, *gs, *hl;
    OP_REQUIRES_OK(ctx, ctx->allocate_output(0, TensorShape({B, T, U}), &hs));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(1, TensorShape({B, T, U}), &cs));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(2, TensorShape({B, T, G}), &gs));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(3, TensorShape({B, U}), &hl));
    if (T == 0 || B == 0) return;
    const float* px = ctx->input(0).flat<float>().data();
    const float* pw = ctx->input(1).flat<float>().data();
    const Tensor& bias = ctx->input(3);
    const float* pb = bias.NumElements() == 0 ? nullptr : bias.flat<float>().data();
    const float* pm = MaskPtr(ctx->input(4));
    float* phs = hs->flat<float>().data();
    float* pcs = cs->flat<float>().data();
    float* pgs = gs->flat<float>().data();
    float* phl = hl->flat<float>().data();
    CMapM R(ctx->input(2).flat<float>().data(), U, G);
    const Act a = acts_.act, ra = acts_.ract;
    const bool back = acts_.go_backwards;
    RunSharded(ctx, B, NumShards(ctx, B), [&](int, int64_t b0, int64_t b1) {
      const int64_t nb = b1 - b0;
      InputProjection(d, px, pw, pb, pgs, b0, nb);
      RowMat zeros = RowMat::Zero(nb, U);
      std::vector<int64_t> off;
      for (int64_t k = 0; k < T; ++k) {
        const int64_t t = back ? T - 1 - k : k;
        const float* hp = k == 0 ? zeros.data() : phs + (b0 * T + k - 1) * U;
        const float* cp = k == 0 ? zeros.data() : pcs + (b0 * T + k - 1) * U;
        const int64_t ps = k == 0 ? U : T * U;
        float* z = pgs + (b0 * T + t) * G;
        const int64_t zs = T * G;
        M(z, nb, G, zs).noalias() += CM(hp, nb, U, ps) * R;
        ActInPlace(A(z, nb, 2 * U, zs), ra);
        ActInPlace(A(z + 2 * U, nb, U, zs), a);
        ActInPlace(A(z + 3 * U, nb, U, zs), ra);
        float* h = phs + (b0 * T + k) * U;
        float* c = pcs + (b0 * T + k) * U;
        auto C = A(c, nb, U, T * U);
        C = A(z + U, nb, U, zs) * CA(cp, nb, U, ps) + A(z, nb, U, zs) * A(z + 2 * U, nb, U, zs);
        auto H = A(h, nb, U, T * U);
        H = C;
        ActInPlace(H, a);
        H *= A(z + 3 * U, nb, U, zs);
        MaskedRows(pm == nullptr ? nullptr : pm + b0 * T + t, nb, T, &off);
        for (int64_t b : off) {
          std::copy(hp + b * ps, hp + b * ps + U, h + b * T * U);
          std::copy(cp + b * ps, cp + b * ps + U, c + b * T * U);
        }
      }
      A(phl + b0 * U, nb, U, U) = CA(phs + (b0 * T + T - 1) * U, nb, U, T * U);
    });
  }

 private:
  Activations acts_;
};
REGISTER_KERNEL_BUILDER(Name("SeqlabLstm").Device(DEVICE_CPU), LstmOp);

REGISTER_OP("SeqlabLstmGrad")
    .Input("x: float")
    .Input("w: float")
    .Input("r: float")
    .Input("mask: float")
    .Input("h_seq: float")
    .Input("c_seq: float")
    .Input("gates: float")
    .Input("dh_seq: float")
    .Input("dh_last: float")
    .Input("dc_last: float")
    .SEQLAB_ACT_ATTRS
    .Output("dx: float")
    .Output("dw: float")
    .Output("dr: float")
    .Output("db: float")
    .SetShapeFn(tensorflow::shape_inference::UnknownShape);

class LstmGradOp : public OpKernel {
 public:
  explicit LstmGradOp(OpKernelConstruction* c) : OpKernel(c) { acts_.Read(c); }
  void Compute(OpKernelContext* ctx) override {
    Dims d;
    if (!ReadDims(ctx, 4, &d)) return;
    const int64_t B = d.B, T = d.T, U = d.U, G = d.G, F = d.F;
    if (!CheckSize(ctx, 3, "mask", B * T, true) || !CheckSize(ctx, 4, "h_seq", B * T * U, false) ||
        !CheckSize(ctx, 5, "c_seq", B * T * U, false) || !CheckSize(ctx, 6, "gates", B * T * G, false) ||
        !CheckSize(ctx, 7, "dh_seq", B * T * U, true) || !CheckSize(ctx, 8, "dh_last", B * U, true) ||
        !CheckSize(ctx, 9, "dc_last", B * U, true)) {
      return;
    }
    const float* px = ctx->input(0).flat<float>().data();
    const float* pw = ctx->input(1).flat<float>().data();
    const float* pm = MaskPtr(ctx->input(3));
    const float* phs = ctx->input(4).flat<float>().data();
    const float* pcs = ctx->input(5).flat<float>().data();
    const float* pgs = ctx->input(6).flat<float>().data();
    const float* pdhs = ctx->input(7).NumElements() == 0 ? nullptr : ctx->input(7).flat<float>().data();
    const float* pdhl = ctx->input(8).NumElements() == 0 ? nullptr : ctx->input(8).flat<float>().data();
    const float* pdcl = ctx->input(9).NumElements() == 0 ? nullptr : ctx->input(9).flat<float>().data();
    Tensor *dx, *dw, *dr, *db, dxw_t;
    OP_REQUIRES_OK(ctx, ctx->allocate_output(0, TensorShape({B, T, F}), &dx));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(1, TensorShape({F, G}), &dw));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(2, TensorShape({U, G}), &dr));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(3, TensorShape({G}), &db));
    OP_REQUIRES_OK(ctx, ctx->allocate_temp(tensorflow::DT_FLOAT, TensorShape({B, T, G}), &dxw_t));
    float* pdxw = dxw_t.flat<float>().data();
    float* pdx = dx->flat<float>().data();
    CMapM R(ctx->input(2).flat<float>().data(), U, G);
    const Act a = acts_.act, ra = acts_.ract;
    const bool back = acts_.go_backwards;
    const int64_t ns = NumShards(ctx, B);
    std::vector<RowMat> dR(ns, RowMat::Zero(U, G)), dW(ns, RowMat::Zero(F, G)), dB(ns, RowMat::Zero(1, G));
    if (T > 0 && B > 0) RunSharded(ctx, B, ns, [&](int s, int64_t b0, int64_t b1) {
      const int64_t nb = b1 - b0;
      RowMat dhm = RowMat::Zero(nb, U), zeros = RowMat::Zero(nb, U);
      RowArr dc = RowArr::Zero(nb, U), ac(nb, U), dcn(nb, U), oldh, oldc;
      std::vector<int64_t> off;
      for (int64_t k = T - 1; k >= 0; --k) {
        const int64_t t = back ? T - 1 - k : k;
        const float* hp = k == 0 ? zeros.data() : phs + (b0 * T + k - 1) * U;
        const float* cp = k == 0 ? zeros.data() : pcs + (b0 * T + k - 1) * U;
        const int64_t ps = k == 0 ? U : T * U;
        const float* g4 = pgs + (b0 * T + t) * G;
        float* dz = pdxw + (b0 * T + t) * G;
        const int64_t zs = T * G;
        AddOutputGrad(d, pdhs, pdhl, b0, nb, k, &dhm);
        if (pdcl != nullptr && k == T - 1) dc += CA(pdcl + b0 * U, nb, U, U);
        auto dh = dhm.array();
        MaskedRows(pm == nullptr ? nullptr : pm + b0 * T + t, nb, T, &off);
        if (!off.empty()) { oldh = dh; oldc = dc; }
        const auto I = CA(g4, nb, U, zs), F_ = CA(g4 + U, nb, U, zs), Gc = CA(g4 + 2 * U, nb, U, zs),
                   O = CA(g4 + 3 * U, nb, U, zs);
        ac = CA(pcs + (b0 * T + k) * U, nb, U, T * U);
        ActInPlace(A(ac.data(), nb, U, U), a);
        dcn = dh * O;
        MulDAct(A(dcn.data(), nb, U, U), CA(ac.data(), nb, U, U), a);
        dcn += dc;
        auto dI = A(dz, nb, U, zs), dF = A(dz + U, nb, U, zs), dG = A(dz + 2 * U, nb, U, zs),
             dO = A(dz + 3 * U, nb, U, zs);
        dI = dcn * Gc;
        dF = dcn * CA(cp, nb, U, ps);
        dG = dcn * I;
        dO = dh * ac;
        MulDAct(A(dz, nb, 2 * U, zs), CA(g4, nb, 2 * U, zs), ra);
        MulDAct(dG, Gc, a);
        MulDAct(dO, O, ra);
        dc = dcn * F_;
        for (int64_t b : off) std::fill(dz + b * zs, dz + b * zs + G, 0.f);
        const auto DZ = CM(dz, nb, G, zs);
        dhm.noalias() = DZ * R.transpose();
        dR[s].noalias() += CM(hp, nb, U, ps).transpose() * DZ;
        for (int64_t b : off) {
          dhm.row(b) = oldh.matrix().row(b);
          dc.row(b) = oldc.row(b);
        }
      }
      InputProjectionGrad(d, px, pw, pdxw, pdx, b0, nb, &dW[s], &dB[s]);
    });
    SumShards(dR, dr->flat<float>().data(), U * G);
    SumShards(dW, dw->flat<float>().data(), F * G);
    SumShards(dB, db->flat<float>().data(), G);
  }

 private:
  Activations acts_;
};
REGISTER_KERNEL_BUILDER(Name("SeqlabLstmGrad").Device(DEVICE_CPU), LstmGradOp);

}  // namespace seqlab
