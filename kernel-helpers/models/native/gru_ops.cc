// GRU (reset-before and reset-after) kernels of seqlab's fused layers (see seqlab_rnn_common.h for the layout).
#include "seqlab_rnn_common.h"

namespace seqlab {

// ----------------------------------------------------------------------------------- GRU
REGISTER_OP("SeqlabGru")
    .Input("x: float")
    .Input("w: float")
    .Input("r: float")
    .Input("b: float")
    .Input("rb: float")
    .Input("mask: float")
    .SEQLAB_ACT_ATTRS
    .Attr("reset_after: bool = false")
    .Output("h_seq: float")
    .Output("gates: float")
    .Output("inner_h: float")
    .Output("h_last: float")
    .SetShapeFn(tensorflow::shape_inference::UnknownShape);

// One reset-after forward step's gate arithmetic for nb rows, one packet of units at a time,
// from the step's recurrent product rec = h_prev R ([nb, 3U], contiguous) and the input
// projection already in the gates g (rows zs floats apart): z and r (activated, in place),
// the inner candidate rec_h + rb_h (kept for the gradient, rows hs apart), the candidate
// act(g_h + r * inner) in place, and h = z * h_prev + (1 - z) * candidate. Needs U to be a
// whole number of packets.
inline void GruStepRows(Act a, Act ra, int64_t nb, int64_t U, const float* rec, const float* rb, float* g,
                        int64_t zs, const float* hp, int64_t ps, float* inner, float* h, int64_t hs) {
  using namespace Eigen::internal;
  const FPacket one = pset1<FPacket>(1.f);
  for (int64_t b = 0; b < nb; ++b) {
    const float* rr = rec + b * 3 * U;
    float* gr = g + b * zs;
    for (int64_t j = 0; j < U; j += kPacket) {
      FPacket rz = PLoad(rr + j), rh = PLoad(rr + U + j), ri = PLoad(rr + 2 * U + j);
      if (rb != nullptr) {
        rz = padd(rz, PLoad(rb + j));
        rh = padd(rh, PLoad(rb + U + j));
        ri = padd(ri, PLoad(rb + 2 * U + j));
      }
      const FPacket z = ActPacket(ra, padd(PLoad(gr + j), rz)), r = ActPacket(ra, padd(PLoad(gr + U + j), rh));
      const FPacket hh = ActPacket(a, padd(PLoad(gr + 2 * U + j), pmul(r, ri)));
      PStore(gr + j, z);
      PStore(gr + U + j, r);
      PStore(gr + 2 * U + j, hh);
      PStore(inner + b * hs + j, ri);
      PStore(h + b * hs + j, padd(pmul(z, PLoad(hp + b * ps + j)), pmul(psub(one, z), hh)));
    }
  }
}

class GruOp : public OpKernel {
 public:
  explicit GruOp(OpKernelConstruction* c) : OpKernel(c) {
    acts_.Read(c);
    OP_REQUIRES_OK(c, c->GetAttr("reset_after", &reset_after_));
  }
  void Compute(OpKernelContext* ctx) override {
    Dims d;
    if (!ReadDims(ctx, 3, &d)) return;
    const int64_t B = d.B, T = d.T, U = d.U, G = d.G;
    const bool after = reset_after_;
    if (!CheckSize(ctx, 3, "b", G, true) || !CheckSize(ctx, 4, "rb", G, true) ||
        !CheckSize(ctx, 5, "mask", B * T, true)) {
      return;
    }
    Tensor *hs, *gs, *ih, *hl;
    OP_REQUIRES_OK(ctx, ctx->allocate_output(0, TensorShape({B, T, U}), &hs));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(1, TensorShape({B, T, G}), &gs));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(2, TensorShape({B, after ? T : 0, U}), &ih));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(3, TensorShape({B, U}), &hl));
    if (T == 0 || B == 0) return;
    const float* px = ctx->input(0).flat<float>().data();
    const float* pw = ctx->input(1).flat<float>().data();
    const Tensor& bias = ctx->input(3);
    const float* pb = bias.NumElements() == 0 ? nullptr : bias.flat<float>().data();
    const float* prb = after && ctx->input(4).NumElements() > 0 ? ctx->input(4).flat<float>().data() : nullptr;
    const float* pm = MaskPtr(ctx->input(5));
    float* phs = hs->flat<float>().data();
    float* pgs = gs->flat<float>().data();
    float* pih = ih->flat<float>().data();
    float* phl = hl->flat<float>().data();
    CMapM R(ctx->input(2).flat<float>().data(), U, G);
    const Act a = acts_.act, ra = acts_.ract;
    const bool back = acts_.go_backwards;
    RunSharded(ctx, B, NumShards(ctx, B), [&](int, int64_t b0, int64_t b1) {
      const int64_t nb = b1 - b0;
      InputProjection(d, px, pw, pb, pgs, b0, nb);
      RowMat rec(nb, after ? G : 2 * U), rh(nb, U), zeros = RowMat::Zero(nb, U);
      std::vector<int64_t> off;
      for (int64_t k = 0; k < T; ++k) {
        const int64_t t = back ? T - 1 - k : k;
        const float* hp = k == 0 ? zeros.data() : phs + (b0 * T + k - 1) * U;
        const int64_t ps = k == 0 ? U : T * U;
        float* g = pgs + (b0 * T + t) * G;
        const int64_t zs = T * G;
        float* h = phs + (b0 * T + k) * U;
        if (after && U % kPacket == 0) {
          SmallGemm(nb, G, U, hp, ps, 1, R.data(), G, rec.data(), G, false);
          GruStepRows(a, ra, nb, U, rec.data(), prb, g, zs, hp, ps, pih + (b0 * T + k) * U, h, T * U);
        } else {
          auto Zr = A(g, nb, 2 * U, zs);
          if (after) {
            SmallGemm(nb, G, U, hp, ps, 1, R.data(), G, rec.data(), G, false);
            if (prb != nullptr) rec.array().rowwise() += Eigen::Map<const Eigen::Array<float, 1, Eigen::Dynamic>>(prb, 1, G);
            Zr += rec.array().leftCols(2 * U);
            ActInPlace(Zr, ra);
            float* inner = pih + (b0 * T + k) * U;
            A(inner, nb, U, T * U) = rec.array().rightCols(U);
            A(g + 2 * U, nb, U, zs) += A(g + U, nb, U, zs) * CA(inner, nb, U, T * U);
          } else {
            rec.noalias() = CM(hp, nb, U, ps) * R.leftCols(2 * U);
            Zr += rec.array();
            ActInPlace(Zr, ra);
            rh.array() = A(g + U, nb, U, zs) * CA(hp, nb, U, ps);
            M(g + 2 * U, nb, U, zs).noalias() += rh * R.rightCols(U);
          }
          ActInPlace(A(g + 2 * U, nb, U, zs), a);
          const auto Zg = A(g, nb, U, zs);
          A(h, nb, U, T * U) = Zg * CA(hp, nb, U, ps) + (1.f - Zg) * A(g + 2 * U, nb, U, zs);
        }
        MaskedRows(pm == nullptr ? nullptr : pm + b0 * T + t, nb, T, &off);
        for (int64_t b : off) std::copy(hp + b * ps, hp + b * ps + U, h + b * T * U);
      }
      A(phl + b0 * U, nb, U, U) = CA(phs + (b0 * T + T - 1) * U, nb, U, T * U);
    });
  }

 private:
  Activations acts_;
  bool reset_after_;
};
REGISTER_KERNEL_BUILDER(Name("SeqlabGru").Device(DEVICE_CPU), GruOp);

REGISTER_OP("SeqlabGruGrad")
    .Input("x: float")
    .Input("w: float")
    .Input("r: float")
    .Input("mask: float")
    .Input("h_seq: float")
    .Input("gates: float")
    .Input("inner_h: float")
    .Input("dh_seq: float")
    .Input("dh_last: float")
    .SEQLAB_ACT_ATTRS
    .Attr("reset_after: bool = false")
    .Output("dx: float")
    .Output("dw: float")
    .Output("dr: float")
    .Output("db: float")
    .Output("drb: float")
    .SetShapeFn(tensorflow::shape_inference::UnknownShape);

class GruGradOp : public OpKernel {
 public:
  explicit GruGradOp(OpKernelConstruction* c) : OpKernel(c) {
    acts_.Read(c);
    OP_REQUIRES_OK(c, c->GetAttr("reset_after", &reset_after_));
  }
  void Compute(OpKernelContext* ctx) override {
    Dims d;
    if (!ReadDims(ctx, 3, &d)) return;
    const int64_t B = d.B, T = d.T, U = d.U, G = d.G, F = d.F;
    const bool after = reset_after_;
    if (!CheckSize(ctx, 3, "mask", B * T, true) || !CheckSize(ctx, 4, "h_seq", B * T * U, false) ||
        !CheckSize(ctx, 5, "gates", B * T * G, false) || !CheckSize(ctx, 6, "inner_h", after ? B * T * U : 0, true) ||
        !CheckSize(ctx, 7, "dh_seq", B * T * U, true) || !CheckSize(ctx, 8, "dh_last", B * U, true)) {
      return;
    }
    const float* px = ctx->input(0).flat<float>().data();
    const float* pw = ctx->input(1).flat<float>().data();
    const float* pm = MaskPtr(ctx->input(3));
    const float* phs = ctx->input(4).flat<float>().data();
    const float* pgs = ctx->input(5).flat<float>().data();
    const float* pih = ctx->input(6).flat<float>().data();
    const float* pdhs = ctx->input(7).NumElements() == 0 ? nullptr : ctx->input(7).flat<float>().data();
    const float* pdhl = ctx->input(8).NumElements() == 0 ? nullptr : ctx->input(8).flat<float>().data();
    Tensor *dx, *dw, *dr, *db, *drb, dxw_t;
    OP_REQUIRES_OK(ctx, ctx->allocate_output(0, TensorShape({B, T, F}), &dx));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(1, TensorShape({F, G}), &dw));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(2, TensorShape({U, G}), &dr));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(3, TensorShape({G}), &db));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(4, TensorShape({G}), &drb));
    OP_REQUIRES_OK(ctx, ctx->allocate_temp(tensorflow::DT_FLOAT, TensorShape({B, T, G}), &dxw_t));
    float* pdxw = dxw_t.flat<float>().data();
    float* pdx = dx->flat<float>().data();
    CMapM R(ctx->input(2).flat<float>().data(), U, G);
    const Act a = acts_.act, ra = acts_.ract;
    const bool back = acts_.go_backwards;
    const int64_t ns = NumShards(ctx, B);
    const RowMat Rt = R.transpose();
    std::vector<RowMat> dR(ns, RowMat::Zero(U, G)), dW(ns, RowMat::Zero(F, G)), dB(ns, RowMat::Zero(1, G)),
        dRB(ns, RowMat::Zero(1, G));
    if (T > 0 && B > 0) RunSharded(ctx, B, ns, [&](int s, int64_t b0, int64_t b1) {
      const int64_t nb = b1 - b0;
      RowMat dhm = RowMat::Zero(nb, U), drec(nb, G), drh(nb, U), rh(nb, U), zeros = RowMat::Zero(nb, U);
      RowArr oldh;
      std::vector<int64_t> off;
      for (int64_t k = T - 1; k >= 0; --k) {
        const int64_t t = back ? T - 1 - k : k;
        const float* hp = k == 0 ? zeros.data() : phs + (b0 * T + k - 1) * U;
        const int64_t ps = k == 0 ? U : T * U;
        const float* g = pgs + (b0 * T + t) * G;
        float* dz = pdxw + (b0 * T + t) * G;
        const int64_t zs = T * G;
        AddOutputGrad(d, pdhs, pdhl, b0, nb, k, &dhm);
        auto dh = dhm.array();
        MaskedRows(pm == nullptr ? nullptr : pm + b0 * T + t, nb, T, &off);
        if (!off.empty()) oldh = dh;
        const auto Zg = CA(g, nb, U, zs), Rg = CA(g + U, nb, U, zs), HH = CA(g + 2 * U, nb, U, zs);
        const auto Hp = CA(hp, nb, U, ps);
        auto dZ = A(dz, nb, U, zs), dRg = A(dz + U, nb, U, zs), dHH = A(dz + 2 * U, nb, U, zs);
        dZ = dh * (Hp - HH);
        MulDAct(dZ, Zg, ra);
        dHH = dh * (1.f - Zg);
        MulDAct(dHH, HH, a);
        for (int64_t b : off) {
          std::fill(dz + b * zs, dz + b * zs + U, 0.f);
          std::fill(dz + b * zs + 2 * U, dz + b * zs + 3 * U, 0.f);
        }
        dh = dh * Zg;
        if (after) {
          const auto inner = CA(pih + (b0 * T + k) * U, nb, U, T * U);
          dRg = dHH * inner;
          MulDAct(dRg, Rg, ra);
          for (int64_t b : off) std::fill(dz + b * zs + U, dz + b * zs + 2 * U, 0.f);
          drec.leftCols(2 * U) = CM(dz, nb, 2 * U, zs);
          drec.array().rightCols(U) = dHH * Rg;
          SmallGemm(nb, U, G, drec.data(), G, 1, Rt.data(), U, dhm.data(), U, true);
          SmallGemm(U, G, nb, hp, 1, ps, drec.data(), G, dR[s].data(), G, true);
          dRB[s].noalias() += drec.colwise().sum();
        } else {
          drh.noalias() = CM(dz + 2 * U, nb, U, zs) * R.rightCols(U).transpose();
          rh.array() = Rg * Hp;
          dR[s].rightCols(U).noalias() += rh.transpose() * CM(dz + 2 * U, nb, U, zs);
          dRg = drh.array() * Hp;
          MulDAct(dRg, Rg, ra);
          dh += drh.array() * Rg;
          for (int64_t b : off) std::fill(dz + b * zs + U, dz + b * zs + 2 * U, 0.f);
          const auto DZ2 = CM(dz, nb, 2 * U, zs);
          dhm.noalias() += DZ2 * R.leftCols(2 * U).transpose();
          dR[s].leftCols(2 * U).noalias() += CM(hp, nb, U, ps).transpose() * DZ2;
        }
        for (int64_t b : off) dhm.row(b) = oldh.matrix().row(b);
      }
      InputProjectionGrad(d, px, pw, pdxw, pdx, b0, nb, &dW[s], &dB[s]);
    });
    SumShards(dR, dr->flat<float>().data(), U * G);
    SumShards(dW, dw->flat<float>().data(), F * G);
    SumShards(dB, db->flat<float>().data(), G);
    SumShards(dRB, drb->flat<float>().data(), G);
  }

 private:
  Activations acts_;
  bool reset_after_;
};
REGISTER_KERNEL_BUILDER(Name("SeqlabGruGrad").Device(DEVICE_CPU), GruGradOp);

}  // namespace seqlab
