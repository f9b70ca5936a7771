// Whole-sequence recurrent kernels for seqlab's fused layers: LSTM, GRU (reset-before and
// reset-after) and SimpleRNN, forward and backward, in the Keras / tfjs-layers weight layout.
//
// Every op is time-major and takes the input projection `xw = x @ kernel + bias` already
// computed (one large matmul outside the loop), so only the recurrence runs here. The batch is
// split across TensorFlow's CPU worker threads: rows of a batch are independent through time.
//
// Masks are 0/1 per (time, batch): where 0, the states carry over unchanged and the step's
// output repeats the previous state, as in tfjs-layers' and Keras' `rnn()`.
#include <algorithm>
#include <cmath>
#include <vector>

#include "Eigen/Core"
#include "tensorflow/core/framework/common_shape_fns.h"
#include "tensorflow/core/framework/op.h"
#include "tensorflow/core/framework/op_kernel.h"
#include "tensorflow/core/framework/shape_inference.h"
#include "tensorflow/core/util/work_sharder.h"

namespace seqlab {

using tensorflow::DEVICE_CPU;
using tensorflow::OpKernel;
using tensorflow::OpKernelConstruction;
using tensorflow::OpKernelContext;
using tensorflow::Tensor;
using tensorflow::TensorShape;

using RowMat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MapM = Eigen::Map<RowMat>;
using CMapM = Eigen::Map<const RowMat>;

// Activation codes shared with the TypeScript side.
enum Act { kTanh = 0, kRelu = 1, kLinear = 2, kSigmoid = 3, kHardSigmoid = 4 };

inline float act(float x, int code) {
  switch (code) {
    case kTanh: return std::tanh(x);
    case kRelu: return x > 0.f ? x : 0.f;
    case kLinear: return x;
    case kSigmoid: return 1.f / (1.f + std::exp(-x));
    default: {
      float y = 0.2f * x + 0.5f;
      return y < 0.f ? 0.f : (y > 1.f ? 1.f : y);
    }
  }
}

// Derivative expressed through the activation's output y.
inline float dact(float y, int code) {
  switch (code) {
    case kTanh: return 1.f - y * y;
    case kRelu: return y > 0.f ? 1.f : 0.f;
    case kLinear: return 1.f;
    case kSigmoid: return y * (1.f - y);
    default: return (y > 0.f && y < 1.f) ? 0.2f : 0.f;
  }
}

// Runs fn(shard, b0, b1) over contiguous row ranges of the batch on the CPU worker threads.
template <typename Fn>
int RunSharded(OpKernelContext* ctx, int64_t batch, Fn fn, bool dry = false) {
  auto* workers = ctx->device()->tensorflow_cpu_worker_threads();
  int64_t nshards = std::max<int64_t>(1, std::min<int64_t>(workers->num_threads, batch / 8));
  if (dry) return static_cast<int>(nshards);
  const int64_t block = (batch + nshards - 1) / nshards;
  tensorflow::Shard(static_cast<int>(nshards), workers->workers, nshards, 1000000000LL,
                    [&](int64_t start, int64_t limit) {
                      for (int64_t s = start; s < limit; ++s) {
                        const int64_t b0 = s * block;
                        const int64_t b1 = std::min(batch, b0 + block);
                        if (b0 < b1) fn(static_cast<int>(s), b0, b1);
                      }
                    });
  return static_cast<int>(nshards);
}

int NumShards(OpKernelContext* ctx, int64_t batch) {
  return RunSharded(ctx, batch, [](int, int64_t, int64_t) {}, true);
}

// Sums per-shard [rows, cols] accumulators into out.
void SumShards(const std::vector<RowMat>& parts, float* out, int64_t n) {
  std::fill(out, out + n, 0.f);
  for (const auto& p : parts) {
    const float* src = p.data();
    for (int64_t i = 0; i < n; ++i) out[i] += src[i];
  }
}

#define SEQLAB_CHECK_RANK(t, r, name)                                                   \
  OP_REQUIRES(ctx, (t).dims() == (r),                                                   \
              tensorflow::errors::InvalidArgument(name " must have rank " #r ", got ", \
                                                  (t).shape().DebugString()))

// ---------------------------------------------------------------------------------- LSTM
REGISTER_OP("SeqlabLstmSeq")
    .Input("xw: float")
    .Input("r: float")
    .Input("h0: float")
    .Input("c0: float")
    .Input("mask: float")
    .Attr("activation: int = 0")
    .Attr("recurrent_activation: int = 3")
    .Output("h_seq: float")
    .Output("c_seq: float")
    .Output("gates: float")
    .SetShapeFn(tensorflow::shape_inference::UnknownShape);

class LstmSeqOp : public OpKernel {
 public:
  explicit LstmSeqOp(OpKernelConstruction* c) : OpKernel(c) {
    OP_REQUIRES_OK(c, c->GetAttr("activation", &act_));
    OP_REQUIRES_OK(c, c->GetAttr("recurrent_activation", &ract_));
  }
  void Compute(OpKernelContext* ctx) override {
    const Tensor& xw = ctx->input(0);
    const Tensor& r = ctx->input(1);
    const Tensor& h0 = ctx->input(2);
    const Tensor& c0 = ctx->input(3);
    const Tensor& mask = ctx->input(4);
    SEQLAB_CHECK_RANK(xw, 3, "xw");
    SEQLAB_CHECK_RANK(r, 2, "r");
    const int64_t T = xw.dim_size(0), B = xw.dim_size(1), G = xw.dim_size(2), U = r.dim_size(0);
    OP_REQUIRES(ctx, G == 4 * U && r.dim_size(1) == G,
                tensorflow::errors::InvalidArgument("LSTM shapes disagree"));
    Tensor *hs, *cs, *gs;
    OP_REQUIRES_OK(ctx, ctx->allocate_output(0, TensorShape({T, B, U}), &hs));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(1, TensorShape({T, B, U}), &cs));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(2, TensorShape({T, B, G}), &gs));
    const float* pxw = xw.flat<float>().data();
    const float* ph0 = h0.flat<float>().data();
    const float* pc0 = c0.flat<float>().data();
    const float* pm = mask.flat<float>().data();
    float* phs = hs->flat<float>().data();
    float* pcs = cs->flat<float>().data();
    float* pgs = gs->flat<float>().data();
    CMapM R(r.flat<float>().data(), U, G);
    const int a = act_, ra = ract_;
    RunSharded(ctx, B, [&](int, int64_t b0, int64_t b1) {
      const int64_t nb = b1 - b0;
      for (int64_t t = 0; t < T; ++t) {
        const float* hp = t == 0 ? ph0 + b0 * U : phs + ((t - 1) * B + b0) * U;
        const float* cp = t == 0 ? pc0 + b0 * U : pcs + ((t - 1) * B + b0) * U;
        float* z = pgs + (t * B + b0) * G;
        std::copy(pxw + (t * B + b0) * G, pxw + (t * B + b1) * G, z);
        MapM Z(z, nb, G);
        Z.noalias() += CMapM(hp, nb, U) * R;
        float* h = phs + (t * B + b0) * U;
        float* c = pcs + (t * B + b0) * U;
        for (int64_t b = 0; b < nb; ++b) {
          float* zr = z + b * G;
          const float m = pm[t * B + b0 + b];
          for (int64_t u = 0; u < U; ++u) {
            const float i = act(zr[u], ra), f = act(zr[U + u], ra);
            const float g = act(zr[2 * U + u], a), o = act(zr[3 * U + u], ra);
            zr[u] = i; zr[U + u] = f; zr[2 * U + u] = g; zr[3 * U + u] = o;
            if (m > 0.5f) {
              const float cn = f * cp[b * U + u] + i * g;
              c[b * U + u] = cn;
              h[b * U + u] = o * act(cn, a);
            } else {
              c[b * U + u] = cp[b * U + u];
              h[b * U + u] = hp[b * U + u];
            }
          }
        }
      }
    });
  }
 private:
  int act_, ract_;
};
REGISTER_KERNEL_BUILDER(Name("SeqlabLstmSeq").Device(DEVICE_CPU), LstmSeqOp);

REGISTER_OP("SeqlabLstmSeqGrad")
    .Input("r: float")
    .Input("h0: float")
    .Input("c0: float")
    .Input("mask: float")
    .Input("h_seq: float")
    .Input("c_seq: float")
    .Input("gates: float")
    .Input("dh_seq: float")
    .Input("dc_seq: float")
    .Attr("activation: int = 0")
    .Attr("recurrent_activation: int = 3")
    .Output("dxw: float")
    .Output("dr: float")
    .Output("dh0: float")
    .Output("dc0: float")
    .SetShapeFn(tensorflow::shape_inference::UnknownShape);

class LstmSeqGradOp : public OpKernel {
 public:
  explicit LstmSeqGradOp(OpKernelConstruction* c) : OpKernel(c) {
    OP_REQUIRES_OK(c, c->GetAttr("activation", &act_));
    OP_REQUIRES_OK(c, c->GetAttr("recurrent_activation", &ract_));
  }
  void Compute(OpKernelContext* ctx) override {
    const Tensor& r = ctx->input(0);
    const Tensor& gs = ctx->input(6);
    const int64_t T = gs.dim_size(0), B = gs.dim_size(1), G = gs.dim_size(2), U = r.dim_size(0);
    const float* ph0 = ctx->input(1).flat<float>().data();
    const float* pc0 = ctx->input(2).flat<float>().data();
    const float* pm = ctx->input(3).flat<float>().data();
    const float* phs = ctx->input(4).flat<float>().data();
    const float* pcs = ctx->input(5).flat<float>().data();
    const float* pgs = gs.flat<float>().data();
    const float* pdh = ctx->input(7).flat<float>().data();
    const float* pdc = ctx->input(8).flat<float>().data();
    Tensor *dxw, *dr, *dh0, *dc0;
    OP_REQUIRES_OK(ctx, ctx->allocate_output(0, TensorShape({T, B, G}), &dxw));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(1, TensorShape({U, G}), &dr));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(2, TensorShape({B, U}), &dh0));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(3, TensorShape({B, U}), &dc0));
    float* pdxw = dxw->flat<float>().data();
    float* pdh0 = dh0->flat<float>().data();
    float* pdc0 = dc0->flat<float>().data();
    CMapM R(r.flat<float>().data(), U, G);
    const int a = act_, ra = ract_;
    std::vector<RowMat> parts(NumShards(ctx, B), RowMat::Zero(U, G));
    RunSharded(ctx, B, [&](int s, int64_t b0, int64_t b1) {
      const int64_t nb = b1 - b0;
      RowMat dh = RowMat::Zero(nb, U), dc = RowMat::Zero(nb, U);
      RowMat& dR = parts[s];
      for (int64_t t = T - 1; t >= 0; --t) {
        const float* hp = t == 0 ? ph0 + b0 * U : phs + ((t - 1) * B + b0) * U;
        const float* cp = t == 0 ? pc0 + b0 * U : pcs + ((t - 1) * B + b0) * U;
        const float* c = pcs + (t * B + b0) * U;
        const float* g4 = pgs + (t * B + b0) * G;
        float* dz = pdxw + (t * B + b0) * G;
        bool any = false;
        for (int64_t b = 0; b < nb; ++b) {
          const float m = pm[t * B + b0 + b];
          float* dzr = dz + b * G;
          const float* gr = g4 + b * G;
          for (int64_t u = 0; u < U; ++u) {
            const int64_t k = (t * B + b0 + b) * U + u;
            float& dhv = dh(b, u);
            float& dcv = dc(b, u);
            dhv += pdh[k];
            dcv += pdc[k];
            if (m > 0.5f) {
              any = true;
              const float i = gr[u], f = gr[U + u], g = gr[2 * U + u], o = gr[3 * U + u];
              const float ac = act(c[b * U + u], a);
              const float dcn = dcv + dhv * o * dact(ac, a);
              dzr[u] = dcn * g * dact(i, ra);
              dzr[U + u] = dcn * cp[b * U + u] * dact(f, ra);
              dzr[2 * U + u] = dcn * i * dact(g, a);
              dzr[3 * U + u] = dhv * ac * dact(o, ra);
              dcv = dcn * f;
              dhv = 0.f;
            } else {
              dzr[u] = dzr[U + u] = dzr[2 * U + u] = dzr[3 * U + u] = 0.f;
            }
          }
        }
        if (any) {
          CMapM DZ(dz, nb, G);
          dh.noalias() += DZ * R.transpose();
          dR.noalias() += CMapM(hp, nb, U).transpose() * DZ;
        }
      }
      std::copy(dh.data(), dh.data() + nb * U, pdh0 + b0 * U);
      std::copy(dc.data(), dc.data() + nb * U, pdc0 + b0 * U);
    });
    SumShards(parts, dr->flat<float>().data(), U * G);
  }
 private:
  int act_, ract_;
};
REGISTER_KERNEL_BUILDER(Name("SeqlabLstmSeqGrad").Device(DEVICE_CPU), LstmSeqGradOp);

// ----------------------------------------------------------------------------------- GRU
REGISTER_OP("SeqlabGruSeq")
    .Input("xw: float")
    .Input("r: float")
    .Input("rb: float")
    .Input("h0: float")
    .Input("mask: float")
    .Attr("activation: int = 0")
    .Attr("recurrent_activation: int = 3")
    .Attr("reset_after: bool = false")
    .Output("h_seq: float")
    .Output("gates: float")
    .Output("inner_h: float")
    .SetShapeFn(tensorflow::shape_inference::UnknownShape);

class GruSeqOp : public OpKernel {
 public:
  explicit GruSeqOp(OpKernelConstruction* c) : OpKernel(c) {
    OP_REQUIRES_OK(c, c->GetAttr("activation", &act_));
    OP_REQUIRES_OK(c, c->GetAttr("recurrent_activation", &ract_));
    OP_REQUIRES_OK(c, c->GetAttr("reset_after", &reset_after_));
  }
  void Compute(OpKernelContext* ctx) override {
    const Tensor& xw = ctx->input(0);
    const Tensor& r = ctx->input(1);
    SEQLAB_CHECK_RANK(xw, 3, "xw");
    SEQLAB_CHECK_RANK(r, 2, "r");
    const int64_t T = xw.dim_size(0), B = xw.dim_size(1), G = xw.dim_size(2), U = r.dim_size(0);
    OP_REQUIRES(ctx, G == 3 * U && r.dim_size(1) == G,
                tensorflow::errors::InvalidArgument("GRU shapes disagree"));
    const bool ra_after = reset_after_;
    Tensor *hs, *gs, *ih;
    OP_REQUIRES_OK(ctx, ctx->allocate_output(0, TensorShape({T, B, U}), &hs));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(1, TensorShape({T, B, G}), &gs));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(2, TensorShape({ra_after ? T : 0, B, U}), &ih));
    const float* pxw = xw.flat<float>().data();
    const float* prb = ctx->input(2).flat<float>().data();
    const float* ph0 = ctx->input(3).flat<float>().data();
    const float* pm = ctx->input(4).flat<float>().data();
    float* phs = hs->flat<float>().data();
    float* pgs = gs->flat<float>().data();
    float* pih = ih->flat<float>().data();
    CMapM R(r.flat<float>().data(), U, G);
    const int a = act_, ra = ract_;
    RunSharded(ctx, B, [&](int, int64_t b0, int64_t b1) {
      const int64_t nb = b1 - b0;
      RowMat rec(nb, ra_after ? G : 2 * U), rh(nb, U), hrec(nb, U);
      for (int64_t t = 0; t < T; ++t) {
        const float* hp = t == 0 ? ph0 + b0 * U : phs + ((t - 1) * B + b0) * U;
        CMapM H(hp, nb, U);
        const float* x = pxw + (t * B + b0) * G;
        float* gt = pgs + (t * B + b0) * G;
        float* h = phs + (t * B + b0) * U;
        if (ra_after) {
          rec.noalias() = H * R;
        } else {
          rec.noalias() = H * R.leftCols(2 * U);
        }
        for (int64_t b = 0; b < nb; ++b) {
          for (int64_t u = 0; u < U; ++u) {
            const float bz = ra_after ? prb[u] : 0.f, br = ra_after ? prb[U + u] : 0.f;
            const float zg = act(x[b * G + u] + rec(b, u) + bz, ra);
            const float rg = act(x[b * G + U + u] + rec(b, U + u) + br, ra);
            gt[b * G + u] = zg;
            gt[b * G + U + u] = rg;
            if (!ra_after) rh(b, u) = rg * hp[b * U + u];
          }
        }
        if (!ra_after) hrec.noalias() = rh * R.rightCols(U);
        for (int64_t b = 0; b < nb; ++b) {
          const float m = pm[t * B + b0 + b];
          for (int64_t u = 0; u < U; ++u) {
            float pre;
            if (ra_after) {
              const float inner = rec(b, 2 * U + u) + prb[2 * U + u];
              pih[(t * B + b0 + b) * U + u] = inner;
              pre = x[b * G + 2 * U + u] + gt[b * G + U + u] * inner;
            } else {
              pre = x[b * G + 2 * U + u] + hrec(b, u);
            }
            const float hh = act(pre, a);
            gt[b * G + 2 * U + u] = hh;
            const float zg = gt[b * G + u], hpv = hp[b * U + u];
            h[b * U + u] = m > 0.5f ? zg * hpv + (1.f - zg) * hh : hpv;
          }
        }
      }
    });
  }
 private:
  int act_, ract_;
  bool reset_after_;
};
REGISTER_KERNEL_BUILDER(Name("SeqlabGruSeq").Device(DEVICE_CPU), GruSeqOp);

REGISTER_OP("SeqlabGruSeqGrad")
    .Input("r: float")
    .Input("h0: float")
    .Input("mask: float")
    .Input("h_seq: float")
    .Input("gates: float")
    .Input("inner_h: float")
    .Input("dh_seq: float")
    .Attr("activation: int = 0")
    .Attr("recurrent_activation: int = 3")
    .Attr("reset_after: bool = false")
    .Output("dxw: float")
    .Output("dr: float")
    .Output("drb: float")
    .Output("dh0: float")
    .SetShapeFn(tensorflow::shape_inference::UnknownShape);

class GruSeqGradOp : public OpKernel {
 public:
  explicit GruSeqGradOp(OpKernelConstruction* c) : OpKernel(c) {
    OP_REQUIRES_OK(c, c->GetAttr("activation", &act_));
    OP_REQUIRES_OK(c, c->GetAttr("recurrent_activation", &ract_));
    OP_REQUIRES_OK(c, c->GetAttr("reset_after", &reset_after_));
  }
  void Compute(OpKernelContext* ctx) override {
    const Tensor& r = ctx->input(0);
    const Tensor& gs = ctx->input(4);
    const int64_t T = gs.dim_size(0), B = gs.dim_size(1), G = gs.dim_size(2), U = r.dim_size(0);
    const bool ra_after = reset_after_;
    const float* ph0 = ctx->input(1).flat<float>().data();
    const float* pm = ctx->input(2).flat<float>().data();
    const float* phs = ctx->input(3).flat<float>().data();
    const float* pgs = gs.flat<float>().data();
    const float* pih = ctx->input(5).flat<float>().data();
    const float* pdh = ctx->input(6).flat<float>().data();
    Tensor *dxw, *dr, *drb, *dh0;
    OP_REQUIRES_OK(ctx, ctx->allocate_output(0, TensorShape({T, B, G}), &dxw));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(1, TensorShape({U, G}), &dr));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(2, TensorShape({G}), &drb));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(3, TensorShape({B, U}), &dh0));
    float* pdxw = dxw->flat<float>().data();
    float* pdh0 = dh0->flat<float>().data();
    CMapM R(r.flat<float>().data(), U, G);
    const int a = act_, ra = ract_;
    const int ns = NumShards(ctx, B);
    std::vector<RowMat> parts(ns, RowMat::Zero(U, G));
    std::vector<RowMat> bparts(ns, RowMat::Zero(1, G));
    RunSharded(ctx, B, [&](int s, int64_t b0, int64_t b1) {
      const int64_t nb = b1 - b0;
      RowMat dh = RowMat::Zero(nb, U), drec(nb, G), drh(nb, U), rh(nb, U);
      RowMat& dR = parts[s];
      RowMat& dRB = bparts[s];
      for (int64_t t = T - 1; t >= 0; --t) {
        const float* hp = t == 0 ? ph0 + b0 * U : phs + ((t - 1) * B + b0) * U;
        const float* gt = pgs + (t * B + b0) * G;
        float* dz = pdxw + (t * B + b0) * G;
        for (int64_t b = 0; b < nb; ++b) {
          const float m = pm[t * B + b0 + b];
          for (int64_t u = 0; u < U; ++u) {
            dh(b, u) += pdh[(t * B + b0 + b) * U + u];
            if (m > 0.5f) {
              const float zg = gt[b * G + u], rg = gt[b * G + U + u], hh = gt[b * G + 2 * U + u];
              const float hpv = hp[b * U + u], d = dh(b, u);
              const float dzh = d * (1.f - zg) * dact(hh, a);
              dz[b * G + u] = d * (hpv - hh) * dact(zg, ra);
              dz[b * G + 2 * U + u] = dzh;
              if (ra_after) {
                const float inner = pih[(t * B + b0 + b) * U + u];
                dz[b * G + U + u] = dzh * inner * dact(rg, ra);
                drec(b, 2 * U + u) = dzh * rg;
              } else {
                rh(b, u) = rg * hpv;
              }
              dh(b, u) = d * zg;
            } else {
              dz[b * G + u] = dz[b * G + U + u] = dz[b * G + 2 * U + u] = 0.f;
              if (ra_after) drec(b, 2 * U + u) = 0.f;
              else rh(b, u) = 0.f;
            }
          }
        }
        CMapM H(hp, nb, U);
        if (!ra_after) {
          // Candidate path through (r * h_prev) @ R_h.
          CMapM DZ(dz, nb, G);
          drh.noalias() = DZ.rightCols(U) * R.rightCols(U).transpose();
          dR.rightCols(U).noalias() += rh.transpose() * DZ.rightCols(U);
          for (int64_t b = 0; b < nb; ++b) {
            if (pm[t * B + b0 + b] <= 0.5f) continue;
            for (int64_t u = 0; u < U; ++u) {
              const float rg = gt[b * G + U + u], hpv = hp[b * U + u];
              dz[b * G + U + u] = drh(b, u) * hpv * dact(rg, ra);
              dh(b, u) += drh(b, u) * rg;
            }
          }
          CMapM DZ2(dz, nb, G);
          dh.noalias() += DZ2.leftCols(2 * U) * R.leftCols(2 * U).transpose();
          dR.leftCols(2 * U).noalias() += H.transpose() * DZ2.leftCols(2 * U);
        } else {
          CMapM DZ(dz, nb, G);
          drec.leftCols(2 * U) = DZ.leftCols(2 * U);
          dh.noalias() += drec * R.transpose();
          dR.noalias() += H.transpose() * drec;
          dRB += drec.colwise().sum();
        }
      }
      std::copy(dh.data(), dh.data() + nb * U, pdh0 + b0 * U);
    });
    SumShards(parts, dr->flat<float>().data(), U * G);
    SumShards(bparts, drb->flat<float>().data(), G);
  }
 private:
  int act_, ract_;
  bool reset_after_;
};
REGISTER_KERNEL_BUILDER(Name("SeqlabGruSeqGrad").Device(DEVICE_CPU), GruSeqGradOp);

// ----------------------------------------------------------------------------- SimpleRNN
REGISTER_OP("SeqlabRnnSeq")
    .Input("xw: float")
    .Input("r: float")
    .Input("h0: float")
    .Input("mask: float")
    .Attr("activation: int = 0")
    .Output("h_seq: float")
    .SetShapeFn(tensorflow::shape_inference::UnknownShape);

class RnnSeqOp : public OpKernel {
 public:
  explicit RnnSeqOp(OpKernelConstruction* c) : OpKernel(c) {
    OP_REQUIRES_OK(c, c->GetAttr("activation", &act_));
  }
  void Compute(OpKernelContext* ctx) override {
    const Tensor& xw = ctx->input(0);
    const Tensor& r = ctx->input(1);
    SEQLAB_CHECK_RANK(xw, 3, "xw");
    SEQLAB_CHECK_RANK(r, 2, "r");
    const int64_t T = xw.dim_size(0), B = xw.dim_size(1), U = r.dim_size(0);
    OP_REQUIRES(ctx, xw.dim_size(2) == U && r.dim_size(1) == U,
                tensorflow::errors::InvalidArgument("SimpleRNN shapes disagree"));
    Tensor* hs;
    OP_REQUIRES_OK(ctx, ctx->allocate_output(0, TensorShape({T, B, U}), &hs));
    const float* pxw = xw.flat<float>().data();
    const float* ph0 = ctx->input(2).flat<float>().data();
    const float* pm = ctx->input(3).flat<float>().data();
    float* phs = hs->flat<float>().data();
    CMapM R(r.flat<float>().data(), U, U);
    const int a = act_;
    RunSharded(ctx, B, [&](int, int64_t b0, int64_t b1) {
      const int64_t nb = b1 - b0;
      RowMat z(nb, U);
      for (int64_t t = 0; t < T; ++t) {
        const float* hp = t == 0 ? ph0 + b0 * U : phs + ((t - 1) * B + b0) * U;
        z.noalias() = CMapM(hp, nb, U) * R;
        const float* x = pxw + (t * B + b0) * U;
        float* h = phs + (t * B + b0) * U;
        for (int64_t b = 0; b < nb; ++b) {
          const bool on = pm[t * B + b0 + b] > 0.5f;
          for (int64_t u = 0; u < U; ++u)
            h[b * U + u] = on ? act(x[b * U + u] + z(b, u), a) : hp[b * U + u];
        }
      }
    });
  }
 private:
  int act_;
};
REGISTER_KERNEL_BUILDER(Name("SeqlabRnnSeq").Device(DEVICE_CPU), RnnSeqOp);

REGISTER_OP("SeqlabRnnSeqGrad")
    .Input("r: float")
    .Input("h0: float")
    .Input("mask: float")
    .Input("h_seq: float")
    .Input("dh_seq: float")
    .Attr("activation: int = 0")
    .Output("dxw: float")
    .Output("dr: float")
    .Output("dh0: float")
    .SetShapeFn(tensorflow::shape_inference::UnknownShape);

class RnnSeqGradOp : public OpKernel {
 public:
  explicit RnnSeqGradOp(OpKernelConstruction* c) : OpKernel(c) {
    OP_REQUIRES_OK(c, c->GetAttr("activation", &act_));
  }
  void Compute(OpKernelContext* ctx) override {
    const Tensor& r = ctx->input(0);
    const Tensor& hs = ctx->input(3);
    const int64_t T = hs.dim_size(0), B = hs.dim_size(1), U = r.dim_size(0);
    const float* ph0 = ctx->input(1).flat<float>().data();
    const float* pm = ctx->input(2).flat<float>().data();
    const float* phs = hs.flat<float>().data();
    const float* pdh = ctx->input(4).flat<float>().data();
    Tensor *dxw, *dr, *dh0;
    OP_REQUIRES_OK(ctx, ctx->allocate_output(0, TensorShape({T, B, U}), &dxw));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(1, TensorShape({U, U}), &dr));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(2, TensorShape({B, U}), &dh0));
    float* pdxw = dxw->flat<float>().data();
    float* pdh0 = dh0->flat<float>().data();
    CMapM R(r.flat<float>().data(), U, U);
    const int a = act_;
    std::vector<RowMat> parts(NumShards(ctx, B), RowMat::Zero(U, U));
    RunSharded(ctx, B, [&](int s, int64_t b0, int64_t b1) {
      const int64_t nb = b1 - b0;
      RowMat dh = RowMat::Zero(nb, U);
      for (int64_t t = T - 1; t >= 0; --t) {
        const float* hp = t == 0 ? ph0 + b0 * U : phs + ((t - 1) * B + b0) * U;
        const float* h = phs + (t * B + b0) * U;
        float* dz = pdxw + (t * B + b0) * U;
        for (int64_t b = 0; b < nb; ++b) {
          const bool on = pm[t * B + b0 + b] > 0.5f;
          for (int64_t u = 0; u < U; ++u) {
            const float d = dh(b, u) + pdh[(t * B + b0 + b) * U + u];
            if (on) {
              dz[b * U + u] = d * dact(h[b * U + u], a);
              dh(b, u) = 0.f;
            } else {
              dz[b * U + u] = 0.f;
              dh(b, u) = d;
            }
          }
        }
        CMapM DZ(dz, nb, U);
        dh.noalias() += DZ * R.transpose();
        parts[s].noalias() += CMapM(hp, nb, U).transpose() * DZ;
      }
      std::copy(dh.data(), dh.data() + nb * U, pdh0 + b0 * U);
    });
    SumShards(parts, dr->flat<float>().data(), U * U);
  }
 private:
  int act_;
};
REGISTER_KERNEL_BUILDER(Name("SeqlabRnnSeqGrad").Device(DEVICE_CPU), RnnSeqGradOp);

}  // namespace seqlab
