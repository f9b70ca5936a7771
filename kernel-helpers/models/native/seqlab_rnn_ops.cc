// Whole-sequence recurrent kernels for seqlab's fused layers: LSTM, GRU (reset-before and
// reset-after) and SimpleRNN, forward and backward, in the Keras / tfjs-layers weight layout.
//
// Every op is batch-major like the layers ([batch, time, features]) and does the whole layer:
// the input projection `x @ kernel + bias` as one matmul per thread, then the recurrence, and
// in the gradient ops the matching weight and input gradients. The batch is split across
// TensorFlow's CPU worker threads: rows of a batch are independent through time.
//
// Buffers indexed by input time: x, gates (which first hold the input projection), their
// gradients and the mask. Buffers indexed by processing step k (k = t, or T-1-t with
// go_backwards): h_seq (the layer's output, in tfjs-layers' order) and c_seq.
// Element-wise maths uses Eigen's vectorised functions (the same ones TensorFlow's Tanh and
// Sigmoid kernels use).
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
#include "tensorflow/core/platform/blocking_counter.h"

namespace seqlab {

using tensorflow::DEVICE_CPU;
using tensorflow::OpKernel;
using tensorflow::OpKernelConstruction;
using tensorflow::OpKernelContext;
using tensorflow::Tensor;
using tensorflow::TensorShape;

using RowMat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowArr = Eigen::Array<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MapM = Eigen::Map<RowMat>;
using CMapM = Eigen::Map<const RowMat>;
using Stride = Eigen::OuterStride<>;
using SMat = Eigen::Map<RowMat, 0, Stride>;
using CSMat = Eigen::Map<const RowMat, 0, Stride>;
using SArr = Eigen::Map<RowArr, 0, Stride>;
using CSArr = Eigen::Map<const RowArr, 0, Stride>;

// Strided views: `rows` x `cols` starting at p, rows `stride` floats apart.
inline SArr A(float* p, int64_t rows, int64_t cols, int64_t stride) { return SArr(p, rows, cols, Stride(stride)); }
inline CSArr CA(const float* p, int64_t rows, int64_t cols, int64_t stride) {
  return CSArr(p, rows, cols, Stride(stride));
}
inline SMat M(float* p, int64_t rows, int64_t cols, int64_t stride) { return SMat(p, rows, cols, Stride(stride)); }
inline CSMat CM(const float* p, int64_t rows, int64_t cols, int64_t stride) {
  return CSMat(p, rows, cols, Stride(stride));
}

// Activation codes shared with the TypeScript side.
enum Act { kTanh = 0, kRelu = 1, kLinear = 2, kSigmoid = 3, kHardSigmoid = 4 };

// a <- act(a)
void ActInPlace(SArr a, int code) {
  switch (code) {
    case kTanh: a = a.tanh(); break;
    case kRelu: a = a.max(0.f); break;
    case kLinear: break;
    case kSigmoid: a = a.logistic(); break;
    default: a = (a * 0.2f + 0.5f).max(0.f).min(1.f); break;
  }
}

// d <- d * act'(x), the derivative written through the activation's output y = act(x).
void MulDAct(SArr d, CSArr y, int code) {
  switch (code) {
    case kTanh: d *= (1.f - y.square()); break;
    case kRelu: d *= (y > 0.f).cast<float>(); break;
    case kLinear: break;
    case kSigmoid: d *= y * (1.f - y); break;
    default: d *= ((y > 0.f) && (y < 1.f)).cast<float>() * 0.2f; break;
  }
}

// Rows of this step whose mask is off.
// `m` points at the first row's entry; entries are `stride` apart; null means no mask.
void MaskedRows(const float* m, int64_t nb, int64_t stride, std::vector<int64_t>* rows) {
  rows->clear();
  if (m == nullptr) return;
  for (int64_t b = 0; b < nb; ++b)
    if (!(m[b * stride] > 0.5f)) rows->push_back(b);
}

// Runs fn(shard, b0, b1) over contiguous row ranges of the batch: shard 0 on this thread, the
// others on TensorFlow's CPU worker threads.
template <typename Fn>
void RunSharded(OpKernelContext* ctx, int64_t batch, int64_t nshards, Fn fn) {
  const int64_t block = (batch + nshards - 1) / nshards;
  auto run = [&](int64_t s) {
    const int64_t b0 = s * block;
    const int64_t b1 = std::min(batch, b0 + block);
    if (b0 < b1) fn(static_cast<int>(s), b0, b1);
  };
  if (nshards == 1) {
    run(0);
    return;
  }
  auto* pool = ctx->device()->tensorflow_cpu_worker_threads()->workers;
  tensorflow::BlockingCounter pending(static_cast<int>(nshards - 1));
  for (int64_t s = 1; s < nshards; ++s) {
    pool->Schedule([&run, &pending, s] {
      run(s);
      pending.DecrementCount();
    });
  }
  run(0);
  pending.Wait();
}

int64_t NumShards(OpKernelContext* ctx, int64_t batch) {
  auto* workers = ctx->device()->tensorflow_cpu_worker_threads();
  return std::max<int64_t>(1, std::min<int64_t>(workers->num_threads, batch / 8));
}

// Sums per-shard accumulators into out.
void SumShards(const std::vector<RowMat>& parts, float* out, int64_t n) {
  std::fill(out, out + n, 0.f);
  for (const auto& p : parts) {
    const float* src = p.data();
    for (int64_t i = 0; i < n; ++i) out[i] += src[i];
  }
}



// Shapes and pointers common to every op.
struct Dims {
  int64_t B, T, F, U, G;
};

// The mask pointer, or null when the mask input is empty (no mask).
const float* MaskPtr(const Tensor& mask) { return mask.NumElements() == 0 ? nullptr : mask.flat<float>().data(); }

// gates[b0:b1] <- x[b0:b1] @ W + bias (bias may be null), as one matmul over nb * T rows.
void InputProjection(const Dims& d, const float* px, const float* pw, const float* pbias, float* pg, int64_t b0,
                     int64_t nb) {
  MapM XW(pg + b0 * d.T * d.G, nb * d.T, d.G);
  XW.noalias() = CMapM(px + b0 * d.T * d.F, nb * d.T, d.F) * CMapM(pw, d.F, d.G);
  if (pbias != nullptr) XW.array().rowwise() += Eigen::Map<const Eigen::Array<float, 1, Eigen::Dynamic>>(pbias, 1, d.G);
}

// dx[b0:b1] = dxw @ W^T; dW += x^T dxw; db += colsum(dxw).
void InputProjectionGrad(const Dims& d, const float* px, const float* pw, const float* pdxw, float* pdx, int64_t b0,
                         int64_t nb, RowMat* dW, RowMat* db) {
  CMapM DXW(pdxw + b0 * d.T * d.G, nb * d.T, d.G);
  MapM(pdx + b0 * d.T * d.F, nb * d.T, d.F).noalias() = DXW * CMapM(pw, d.F, d.G).transpose();
  dW->noalias() += CMapM(px + b0 * d.T * d.F, nb * d.T, d.F).transpose() * DXW;
  db->noalias() += DXW.colwise().sum();
}

// Adds the incoming gradient of step k (from h_seq and, at the last step, from h_last).
void AddOutputGrad(const Dims& d, const float* pdhs, const float* pdhl, int64_t b0, int64_t nb, int64_t k,
                   RowMat* dh) {
  if (pdhs != nullptr) dh->array() += CA(pdhs + (b0 * d.T + k) * d.U, nb, d.U, d.T * d.U);
  if (pdhl != nullptr && k == d.T - 1) dh->array() += CA(pdhl + b0 * d.U, nb, d.U, d.U);
}

#define SEQLAB_REQUIRE(cond, msg) OP_REQUIRES(ctx, (cond), tensorflow::errors::InvalidArgument(msg))

// Reads and checks x [B, T, F], w [F, G*U], r [U, G*U].
bool ReadDims(OpKernelContext* ctx, int gates, Dims* d) {
  const Tensor& x = ctx->input(0);
  const Tensor& w = ctx->input(1);
  const Tensor& r = ctx->input(2);
  if (x.dims() != 3 || w.dims() != 2 || r.dims() != 2) {
    ctx->CtxFailure(tensorflow::errors::InvalidArgument("x must be [B, T, F], kernel [F, G*U], recurrent [U, G*U]"));
    return false;
  }
  d->B = x.dim_size(0);
  d->T = x.dim_size(1);
  d->F = x.dim_size(2);
  d->U = r.dim_size(0);
  d->G = gates * d->U;
  if (w.dim_size(0) != d->F || w.dim_size(1) != d->G || r.dim_size(1) != d->G) {
    ctx->CtxFailure(tensorflow::errors::InvalidArgument("kernel / recurrent kernel shapes disagree with x and units"));
    return false;
  }
  return true;
}

#define SEQLAB_ATTRS(c)                                                      \
  OP_REQUIRES_OK(c, c->GetAttr("activation", &act_));                        \
  OP_REQUIRES_OK(c, c->GetAttr("recurrent_activation", &ract_));             \
  OP_REQUIRES_OK(c, c->GetAttr("go_backwards", &go_backwards_))

// ---------------------------------------------------------------------------------- LSTM
REGISTER_OP("SeqlabLstm")
    .Input("x: float")
    .Input("w: float")
    .Input("r: float")
    .Input("b: float")
    .Input("mask: float")
    .Attr("activation: int = 0")
    .Attr("recurrent_activation: int = 3")
    .Attr("go_backwards: bool = false")
    .Output("h_seq: float")
    .Output("c_seq: float")
    .Output("gates: float")
    .Output("h_last: float")
    .SetShapeFn(tensorflow::shape_inference::UnknownShape);

class LstmOp : public OpKernel {
 public:
  explicit LstmOp(OpKernelConstruction* c) : OpKernel(c) { SEQLAB_ATTRS(c); }
  void Compute(OpKernelContext* ctx) override {
    Dims d;
    if (!ReadDims(ctx, 4, &d)) return;
    const int64_t B = d.B, T = d.T, U = d.U, G = d.G;
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
    const int a = act_, ra = ract_;
    const bool back = go_backwards_;
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
  int act_, ract_;
  bool go_backwards_;
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
    .Attr("activation: int = 0")
    .Attr("recurrent_activation: int = 3")
    .Attr("go_backwards: bool = false")
    .Output("dx: float")
    .Output("dw: float")
    .Output("dr: float")
    .Output("db: float")
    .SetShapeFn(tensorflow::shape_inference::UnknownShape);

class LstmGradOp : public OpKernel {
 public:
  explicit LstmGradOp(OpKernelConstruction* c) : OpKernel(c) { SEQLAB_ATTRS(c); }
  void Compute(OpKernelContext* ctx) override {
    Dims d;
    if (!ReadDims(ctx, 4, &d)) return;
    const int64_t B = d.B, T = d.T, U = d.U, G = d.G, F = d.F;
    const float* px = ctx->input(0).flat<float>().data();
    const float* pw = ctx->input(1).flat<float>().data();
    const float* pm = MaskPtr(ctx->input(3));
    const float* phs = ctx->input(4).flat<float>().data();
    const float* pcs = ctx->input(5).flat<float>().data();
    const float* pgs = ctx->input(6).flat<float>().data();
    const float* pdhs = ctx->input(7).NumElements() == 0 ? nullptr : ctx->input(7).flat<float>().data();
    const float* pdhl = ctx->input(8).NumElements() == 0 ? nullptr : ctx->input(8).flat<float>().data();
    Tensor *dx, *dw, *dr, *db, dxw_t;
    OP_REQUIRES_OK(ctx, ctx->allocate_output(0, TensorShape({B, T, F}), &dx));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(1, TensorShape({F, G}), &dw));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(2, TensorShape({U, G}), &dr));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(3, TensorShape({G}), &db));
    OP_REQUIRES_OK(ctx, ctx->allocate_temp(tensorflow::DT_FLOAT, TensorShape({B, T, G}), &dxw_t));
    float* pdxw = dxw_t.flat<float>().data();
    float* pdx = dx->flat<float>().data();
    CMapM R(ctx->input(2).flat<float>().data(), U, G);
    const int a = act_, ra = ract_;
    const bool back = go_backwards_;
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
  int act_, ract_;
  bool go_backwards_;
};
REGISTER_KERNEL_BUILDER(Name("SeqlabLstmGrad").Device(DEVICE_CPU), LstmGradOp);

// ----------------------------------------------------------------------------------- GRU
REGISTER_OP("SeqlabGru")
    .Input("x: float")
    .Input("w: float")
    .Input("r: float")
    .Input("b: float")
    .Input("rb: float")
    .Input("mask: float")
    .Attr("activation: int = 0")
    .Attr("recurrent_activation: int = 3")
    .Attr("go_backwards: bool = false")
    .Attr("reset_after: bool = false")
    .Output("h_seq: float")
    .Output("gates: float")
    .Output("inner_h: float")
    .Output("h_last: float")
    .SetShapeFn(tensorflow::shape_inference::UnknownShape);

class GruOp : public OpKernel {
 public:
  explicit GruOp(OpKernelConstruction* c) : OpKernel(c) {
    SEQLAB_ATTRS(c);
    OP_REQUIRES_OK(c, c->GetAttr("reset_after", &reset_after_));
  }
  void Compute(OpKernelContext* ctx) override {
    Dims d;
    if (!ReadDims(ctx, 3, &d)) return;
    const int64_t B = d.B, T = d.T, U = d.U, G = d.G;
    const bool after = reset_after_;
    SEQLAB_REQUIRE(!after || ctx->input(4).NumElements() == G, "rb must have 3 * units entries");
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
    const float* prb = after ? ctx->input(4).flat<float>().data() : nullptr;
    const float* pm = MaskPtr(ctx->input(5));
    float* phs = hs->flat<float>().data();
    float* pgs = gs->flat<float>().data();
    float* pih = ih->flat<float>().data();
    float* phl = hl->flat<float>().data();
    CMapM R(ctx->input(2).flat<float>().data(), U, G);
    const int a = act_, ra = ract_;
    const bool back = go_backwards_;
    RunSharded(ctx, B, NumShards(ctx, B), [&](int, int64_t b0, int64_t b1) {
      const int64_t nb = b1 - b0;
      InputProjection(d, px, pw, pb, pgs, b0, nb);
      RowMat rec(nb, after ? G : 2 * U), rh(nb, U), zeros = RowMat::Zero(nb, U);
      std::vector<int64_t> off;
      for (int64_t k = 0; k < T; ++k) {
        const int64_t t = back ? T - 1 - k : k;
        const float* hp = k == 0 ? zeros.data() : phs + (b0 * T + k - 1) * U;
        const int64_t ps = k == 0 ? U : T * U;
        const auto Hp = CM(hp, nb, U, ps);
        float* g = pgs + (b0 * T + t) * G;
        const int64_t zs = T * G;
        float* h = phs + (b0 * T + k) * U;
        auto Zr = A(g, nb, 2 * U, zs);
        if (after) {
          rec.noalias() = Hp * R;
          rec.array().rowwise() += Eigen::Map<const Eigen::Array<float, 1, Eigen::Dynamic>>(prb, 1, G);
          Zr += rec.array().leftCols(2 * U);
          ActInPlace(Zr, ra);
          float* inner = pih + (b0 * T + k) * U;
          A(inner, nb, U, T * U) = rec.array().rightCols(U);
          A(g + 2 * U, nb, U, zs) += A(g + U, nb, U, zs) * CA(inner, nb, U, T * U);
        } else {
          rec.noalias() = Hp * R.leftCols(2 * U);
          Zr += rec.array();
          ActInPlace(Zr, ra);
          rh.array() = A(g + U, nb, U, zs) * CA(hp, nb, U, ps);
          M(g + 2 * U, nb, U, zs).noalias() += rh * R.rightCols(U);
        }
        ActInPlace(A(g + 2 * U, nb, U, zs), a);
        const auto Zg = A(g, nb, U, zs);
        A(h, nb, U, T * U) = Zg * CA(hp, nb, U, ps) + (1.f - Zg) * A(g + 2 * U, nb, U, zs);
        MaskedRows(pm == nullptr ? nullptr : pm + b0 * T + t, nb, T, &off);
        for (int64_t b : off) std::copy(hp + b * ps, hp + b * ps + U, h + b * T * U);
      }
      A(phl + b0 * U, nb, U, U) = CA(phs + (b0 * T + T - 1) * U, nb, U, T * U);
    });
  }

 private:
  int act_, ract_;
  bool go_backwards_, reset_after_;
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
    .Attr("activation: int = 0")
    .Attr("recurrent_activation: int = 3")
    .Attr("go_backwards: bool = false")
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
    SEQLAB_ATTRS(c);
    OP_REQUIRES_OK(c, c->GetAttr("reset_after", &reset_after_));
  }
  void Compute(OpKernelContext* ctx) override {
    Dims d;
    if (!ReadDims(ctx, 3, &d)) return;
    const int64_t B = d.B, T = d.T, U = d.U, G = d.G, F = d.F;
    const bool after = reset_after_;
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
    const int a = act_, ra = ract_;
    const bool back = go_backwards_;
    const int64_t ns = NumShards(ctx, B);
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
          dhm.noalias() += drec * R.transpose();
          dR[s].noalias() += CM(hp, nb, U, ps).transpose() * drec;
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
  int act_, ract_;
  bool go_backwards_, reset_after_;
};
REGISTER_KERNEL_BUILDER(Name("SeqlabGruGrad").Device(DEVICE_CPU), GruGradOp);

// ----------------------------------------------------------------------------- SimpleRNN
REGISTER_OP("SeqlabRnn")
    .Input("x: float")
    .Input("w: float")
    .Input("r: float")
    .Input("b: float")
    .Input("mask: float")
    .Attr("activation: int = 0")
    .Attr("recurrent_activation: int = 3")
    .Attr("go_backwards: bool = false")
    .Output("h_seq: float")
    .Output("h_last: float")
    .SetShapeFn(tensorflow::shape_inference::UnknownShape);

class RnnOp : public OpKernel {
 public:
  explicit RnnOp(OpKernelConstruction* c) : OpKernel(c) { SEQLAB_ATTRS(c); }
  void Compute(OpKernelContext* ctx) override {
    Dims d;
    if (!ReadDims(ctx, 1, &d)) return;
    const int64_t B = d.B, T = d.T, U = d.U;
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
    const int a = act_;
    const bool back = go_backwards_;
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
        Hn.noalias() += CM(hp, nb, U, ps) * R;
        ActInPlace(A(h, nb, U, T * U), a);
        MaskedRows(pm == nullptr ? nullptr : pm + b0 * T + t, nb, T, &off);
        for (int64_t b : off) std::copy(hp + b * ps, hp + b * ps + U, h + b * T * U);
      }
      A(phl + b0 * U, nb, U, U) = CA(phs + (b0 * T + T - 1) * U, nb, U, T * U);
    });
  }

 private:
  int act_, ract_;
  bool go_backwards_;
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
    .Attr("activation: int = 0")
    .Attr("recurrent_activation: int = 3")
    .Attr("go_backwards: bool = false")
    .Output("dx: float")
    .Output("dw: float")
    .Output("dr: float")
    .Output("db: float")
    .SetShapeFn(tensorflow::shape_inference::UnknownShape);

class RnnGradOp : public OpKernel {
 public:
  explicit RnnGradOp(OpKernelConstruction* c) : OpKernel(c) { SEQLAB_ATTRS(c); }
  void Compute(OpKernelContext* ctx) override {
    Dims d;
    if (!ReadDims(ctx, 1, &d)) return;
    const int64_t B = d.B, T = d.T, U = d.U, F = d.F;
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
    const int a = act_;
    const bool back = go_backwards_;
    const int64_t ns = NumShards(ctx, B);
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
        const auto DZ = CM(dz, nb, U, T * U);
        dhm.noalias() = DZ * R.transpose();
        dR[s].noalias() += CM(hp, nb, U, ps).transpose() * DZ;
        for (int64_t b : off) dhm.row(b) = oldh.matrix().row(b);
      }
      InputProjectionGrad(d, px, pw, pdxw, pdx, b0, nb, &dW[s], &dB[s]);
    });
    SumShards(dR, dr->flat<float>().data(), U * U);
    SumShards(dW, dw->flat<float>().data(), F * U);
    SumShards(dB, db->flat<float>().data(), U);
  }

 private:
  int act_, ract_;
  bool go_backwards_;
};
REGISTER_KERNEL_BUILDER(Name("SeqlabRnnGrad").Device(DEVICE_CPU), RnnGradOp);

}  // namespace seqlab
