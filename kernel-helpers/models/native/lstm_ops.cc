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

// One forward step's gate arithmetic for nb rows, one packet of units at a time, while the
// step's gates are still in L1: activations in place (the gradient op reads them), then
// c = f * c_prev + i * g and h = o * act(c). Needs U to be a whole number of packets.
inline void LstmStepRows(Act a, Act ra, int64_t nb, int64_t U, float* z, int64_t zs, const float* cp, int64_t ps,
                         float* h, float* c, int64_t hs) {
  using namespace Eigen::internal;
  for (int64_t b = 0; b < nb; ++b) {
    float* zr = z + b * zs;
    for (int64_t j = 0; j < U; j += kPacket) {
      const FPacket i = ActPacket(ra, PLoad(zr + j)), f = ActPacket(ra, PLoad(zr + U + j)),
                    g = ActPacket(a, PLoad(zr + 2 * U + j)), o = ActPacket(ra, PLoad(zr + 3 * U + j));
      PStore(zr + j, i);
      PStore(zr + U + j, f);
      PStore(zr + 2 * U + j, g);
      PStore(zr + 3 * U + j, o);
      const FPacket cv = padd(pmul(f, PLoad(cp + b * ps + j)), pmul(i, g));
      PStore(c + b * hs + j, cv);
      PStore(h + b * hs + j, pmul(ActPacket(a, cv), o));
    }
  }
}

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
        SmallGemm(nb, G, U, hp, ps, 1, R.data(), G, z, zs, true);
        float* h = phs + (b0 * T + k) * U;
        float* c = pcs + (b0 * T + k) * U;
        if (U % kPacket == 0) {
          LstmStepRows(a, ra, nb, U, z, zs, cp, ps, h, c, T * U);
        } else {
          // Units that are not a whole number of packets: the same arithmetic, gate by gate.
          ActInPlace(A(z, nb, 2 * U, zs), ra);
          ActInPlace(A(z + 2 * U, nb, U, zs), a);
          ActInPlace(A(z + 3 * U, nb, U, zs), ra);
          auto C = A(c, nb, U, T * U);
          C = A(z + U, nb, U, zs) * CA(cp, nb, U, ps) + A(z, nb, U, zs) * A(z + 2 * U, nb, U, zs);
          auto H = A(h, nb, U, T * U);
          H = C;
          ActInPlace(H, a);
          H *= A(z + 3 * U, nb, U, zs);
        }
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

// act'(x) written through the activation's output y = act(x) (as MulDAct), as an Eigen
// expression for an activation known at compile time, so each product below is one
// vectorised pass.
template <Act kA, typename Y>
auto DAct(const Y& y) {
  if constexpr (kA == kTanh) return 1.f - y.square();
  else if constexpr (kA == kRelu) return (y > 0.f).template cast<float>();
  else if constexpr (kA == kLinear) return y * 0.f + 1.f;
  else if constexpr (kA == kSigmoid) return y * (1.f - y);
  else return ((y > 0.f) && (y < 1.f)).template cast<float>() * 0.2f;
}

// The gradients of one backward step at its nb rows: with the gates g = [i f g o] (after their
// activations, rows zs floats apart), the previous cell state cp (rows ps apart), act(c) of
// this step ac, the incoming dh and dc (contiguous [nb, U]) and a scratch dcn, writes the
// gate gradients dz (rows dzs floats apart):
//   dcn = dh * o * act'(c) + dc;  dz = [dcn * g * ra'(i), dcn * cp * ra'(f), dcn * i * a'(g), dh * act(c) * ra'(o)]
// and dc <- dcn * f; six passes over the step's rows instead of thirteen.
template <Act kA, Act kRa>
void LstmGateGradsT(int64_t nb, int64_t U, const float* g4, int64_t zs, const float* cp, int64_t ps, const float* ac,
                    const float* dh, float* dc, float* dcn, float* dz, int64_t dzs) {
  const auto I = CA(g4, nb, U, zs), Fg = CA(g4 + U, nb, U, zs), Gc = CA(g4 + 2 * U, nb, U, zs),
             O = CA(g4 + 3 * U, nb, U, zs), Ac = CA(ac, nb, U, U), Dh = CA(dh, nb, U, U);
  auto Dc = A(dc, nb, U, U), Dcn = A(dcn, nb, U, U);
  Dcn = Dh * O * DAct<kA>(Ac) + Dc;
  A(dz, nb, U, dzs) = Dcn * Gc * DAct<kRa>(I);
  A(dz + U, nb, U, dzs) = Dcn * CA(cp, nb, U, ps) * DAct<kRa>(Fg);
  A(dz + 2 * U, nb, U, dzs) = Dcn * I * DAct<kA>(Gc);
  A(dz + 3 * U, nb, U, dzs) = Dh * Ac * DAct<kRa>(O);
  Dc = Dcn * Fg;
}

// LstmGateGradsT with the recurrent activation chosen at run time.
template <Act kA>
void LstmGateGradsRa(Act ra, int64_t nb, int64_t U, const float* g4, int64_t zs, const float* cp, int64_t ps,
                     const float* ac, const float* dh, float* dc, float* dcn, float* dz, int64_t dzs) {
  switch (ra) {
    case kTanh: return LstmGateGradsT<kA, kTanh>(nb, U, g4, zs, cp, ps, ac, dh, dc, dcn, dz, dzs);
    case kRelu: return LstmGateGradsT<kA, kRelu>(nb, U, g4, zs, cp, ps, ac, dh, dc, dcn, dz, dzs);
    case kLinear: return LstmGateGradsT<kA, kLinear>(nb, U, g4, zs, cp, ps, ac, dh, dc, dcn, dz, dzs);
    case kSigmoid: return LstmGateGradsT<kA, kSigmoid>(nb, U, g4, zs, cp, ps, ac, dh, dc, dcn, dz, dzs);
    case kHardSigmoid: return LstmGateGradsT<kA, kHardSigmoid>(nb, U, g4, zs, cp, ps, ac, dh, dc, dcn, dz, dzs);
  }
}

// LstmGateGradsT with both activations chosen at run time.
inline void LstmGateGrads(Act a, Act ra, int64_t nb, int64_t U, const float* g4, int64_t zs, const float* cp, int64_t ps,
                   const float* ac, const float* dh, float* dc, float* dcn, float* dz, int64_t dzs) {
  switch (a) {
    case kTanh: return LstmGateGradsRa<kTanh>(ra, nb, U, g4, zs, cp, ps, ac, dh, dc, dcn, dz, dzs);
    case kRelu: return LstmGateGradsRa<kRelu>(ra, nb, U, g4, zs, cp, ps, ac, dh, dc, dcn, dz, dzs);
    case kLinear: return LstmGateGradsRa<kLinear>(ra, nb, U, g4, zs, cp, ps, ac, dh, dc, dcn, dz, dzs);
    case kSigmoid: return LstmGateGradsRa<kSigmoid>(ra, nb, U, g4, zs, cp, ps, ac, dh, dc, dcn, dz, dzs);
    case kHardSigmoid: return LstmGateGradsRa<kHardSigmoid>(ra, nb, U, g4, zs, cp, ps, ac, dh, dc, dcn, dz, dzs);
  }
}

// LstmGateGradsT in one pass per row, one packet of units at a time, act(c) included (from
// the step's c, rows cs floats apart); dh, dc and dz as there. Needs U to be a whole number of
// packets.
inline void LstmStepGradRows(Act a, Act ra, int64_t nb, int64_t U, const float* g4, int64_t zs, const float* c,
                             int64_t cs, const float* cp, int64_t ps, const float* dh, float* dc, float* dz,
                             int64_t dzs) {
  using namespace Eigen::internal;
  for (int64_t b = 0; b < nb; ++b) {
    const float* gr = g4 + b * zs;
    float* dzr = dz + b * dzs;
    for (int64_t j = 0; j < U; j += kPacket) {
      const FPacket i = PLoad(gr + j), f = PLoad(gr + U + j), g = PLoad(gr + 2 * U + j), o = PLoad(gr + 3 * U + j);
      const FPacket ac = ActPacket(a, PLoad(c + b * cs + j));
      const FPacket dhv = PLoad(dh + b * U + j);
      const FPacket dcn = padd(pmul(pmul(dhv, o), DActPacket(a, ac)), PLoad(dc + b * U + j));
      PStore(dzr + j, pmul(pmul(dcn, g), DActPacket(ra, i)));
      PStore(dzr + U + j, pmul(pmul(dcn, PLoad(cp + b * ps + j)), DActPacket(ra, f)));
      PStore(dzr + 2 * U + j, pmul(pmul(dcn, i), DActPacket(a, g)));
      PStore(dzr + 3 * U + j, pmul(pmul(dhv, ac), DActPacket(ra, o)));
      PStore(dc + b * U + j, pmul(dcn, f));
    }
  }
}

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
    Tensor *dx, *dw, *dr, *db;
    OP_REQUIRES_OK(ctx, ctx->allocate_output(0, TensorShape({B, T, F}), &dx));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(1, TensorShape({F, G}), &dw));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(2, TensorShape({U, G}), &dr));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(3, TensorShape({G}), &db));
    float* pdx = dx->flat<float>().data();
    // Both weight matrices stacked, [R; W] ([U + F, G]): each step's gate gradient dz goes
    // through both in one product (dh and dx of the step) and meets h_prev and x_t in two
    // more (the step's share of dR and dW, into one stacked [dR; dW] per thread), so no
    // [B, T, G] buffer of gate gradients is written and read back.
    const int64_t K = U + F;
    RowMat RW(K, G);
    RW.topRows(U) = CMapM(ctx->input(2).flat<float>().data(), U, G);
    RW.bottomRows(F) = CMapM(pw, F, G);
    const Act a = acts_.act, ra = acts_.ract;
    const bool back = acts_.go_backwards;
    // Their transpose too ([G, K], rows padded with zeros to whole SIMD vectors), so the
    // per-step product dz * [R; W]^T reads the weights row by row (SmallGemm).
    const int64_t Kp = PadToVector(K);
    RowMat RWt = RowMat::Zero(G, Kp);
    RWt.leftCols(K) = RW.transpose();
    const int64_t ns = NumShards(ctx, B);
    std::vector<RowMat> dRW(ns, RowMat::Zero(K, G)), dB(ns, RowMat::Zero(1, G));
    if (T > 0 && B > 0) RunSharded(ctx, B, ns, [&](int s, int64_t b0, int64_t b1) {
      const int64_t nb = b1 - b0;
      RowMat dhm = RowMat::Zero(nb, U), zeros = RowMat::Zero(nb, U), dz(nb, G), dhx(nb, Kp);
      RowArr dc = RowArr::Zero(nb, U), ac(nb, U), dcn(nb, U), oldh, oldc;
      std::vector<int64_t> off;
      for (int64_t k = T - 1; k >= 0; --k) {
        const int64_t t = back ? T - 1 - k : k;
        const float* hp = k == 0 ? zeros.data() : phs + (b0 * T + k - 1) * U;
        const float* cp = k == 0 ? zeros.data() : pcs + (b0 * T + k - 1) * U;
        const int64_t ps = k == 0 ? U : T * U;
        const float* g4 = pgs + (b0 * T + t) * G;
        AddOutputGrad(d, pdhs, pdhl, b0, nb, k, &dhm);
        if (pdcl != nullptr && k == T - 1) dc += CA(pdcl + b0 * U, nb, U, U);
        auto dh = dhm.array();
        MaskedRows(pm == nullptr ? nullptr : pm + b0 * T + t, nb, T, &off);
        if (!off.empty()) { oldh = dh; oldc = dc; }
        if (U % kPacket == 0) {
          LstmStepGradRows(a, ra, nb, U, g4, T * G, pcs + (b0 * T + k) * U, T * U, cp, ps, dhm.data(), dc.data(),
                           dz.data(), G);
        } else {
          ac = CA(pcs + (b0 * T + k) * U, nb, U, T * U);
          ActInPlace(A(ac.data(), nb, U, U), a);
          LstmGateGrads(a, ra, nb, U, g4, T * G, cp, ps, ac.data(), dhm.data(), dc.data(), dcn.data(), dz.data(), G);
        }
        for (int64_t b : off) dz.row(b).setZero();
        SmallGemm(nb, Kp, G, dz.data(), G, 1, RWt.data(), Kp, dhx.data(), Kp, false);
        dhm = dhx.leftCols(U);
        M(pdx + (b0 * T + t) * F, nb, F, T * F) = dhx.middleCols(U, F);
        // The step's share of dR and dW: h_prev^T dz and x_t^T dz, read in place.
        SmallGemm(U, G, nb, hp, 1, ps, dz.data(), G, dRW[s].data(), G, true);
        SmallGemm(F, G, nb, px + (b0 * T + t) * F, 1, T * F, dz.data(), G, dRW[s].data() + U * G, G, true);
        dB[s].noalias() += dz.colwise().sum();
        for (int64_t b : off) {
          dhm.row(b) = oldh.matrix().row(b);
          dc.row(b) = oldc.row(b);
        }
      }
    });
    float* pdr = dr->flat<float>().data();
    float* pdw = dw->flat<float>().data();
    std::fill(pdr, pdr + U * G, 0.f);
    std::fill(pdw, pdw + F * G, 0.f);
    for (const auto& part : dRW) {
      const float* src = part.data();
      for (int64_t i = 0; i < U * G; ++i) pdr[i] += src[i];
      for (int64_t i = 0; i < F * G; ++i) pdw[i] += src[U * G + i];
    }
    SumShards(dB, db->flat<float>().data(), G);
  }

 private:
  Activations acts_;
};
REGISTER_KERNEL_BUILDER(Name("SeqlabLstmGrad").Device(DEVICE_CPU), LstmGradOp);

}  // namespace seqlab
