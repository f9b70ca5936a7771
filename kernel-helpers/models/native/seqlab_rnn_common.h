// Shared helpers of the whole-sequence recurrent kernels for seqlab's fused layers: LSTM, GRU (reset-before and
// reset-after) and SimpleRNN, forward and backward, in the Keras / tfjs-layers weight layout.
//
// Every op is batch-major like the layers ([batch, time, features]) and does the whole layer:
// the input projection `x @ kernel + bias` as one matmul per thread, then the recurrence, and
// in the gradient ops the matching weight and input gradients. Batches of 128 rows or more are
// split across TensorFlow's CPU worker threads (rows of a batch are independent through time;
// see kMinRowsPerThread). The per-step products go through SmallGemm (below).
//
// Buffers indexed by input time: x, gates (which first hold the input projection), their
// gradients and the mask. Buffers indexed by processing step k (k = t, or T-1-t with
// go_backwards): h_seq (the layer's output, in tfjs-layers' order) and c_seq.
// Element-wise maths uses Eigen's vectorised functions (the same ones TensorFlow's Tanh and
// Sigmoid kernels use).
//
// Masks are one float per (batch, time), read as booleans like tfjs-layers and Keras do (any
// value other than 0 means "on"): where 0, the states carry over unchanged and the step's
// output repeats the previous state, as in tfjs-layers' and Keras' `rnn()`.
//
// Every op checks the sizes of all its inputs and fails with InvalidArgument on a mismatch, so
// a wrong input can never make a kernel read past a buffer.
#ifndef SEQLAB_RNN_COMMON_H_
#define SEQLAB_RNN_COMMON_H_

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>


#if defined(__AVX512F__) || (defined(__AVX2__) && defined(__FMA__))
#include <immintrin.h>
#endif

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

// The activations the kernels implement. The ops take them as string attributes with the
// tfjs-layers names (the op definitions list the allowed values, and ParseAct rejects anything
// else), so the TypeScript and C++ sides share names, not numbers.
enum Act { kTanh, kRelu, kLinear, kSigmoid, kHardSigmoid };
#define SEQLAB_ACTIVATIONS "{'tanh', 'relu', 'linear', 'sigmoid', 'hardSigmoid'}"

// The activation called `name`; false when there is none.
inline bool ParseAct(const std::string& name, Act* out) {
  static const std::pair<const char*, Act> kNames[] = {
      {"tanh", kTanh}, {"relu", kRelu}, {"linear", kLinear}, {"sigmoid", kSigmoid}, {"hardSigmoid", kHardSigmoid}};
  for (const auto& entry : kNames) {
    if (name == entry.first) {
      *out = entry.second;
      return true;
    }
  }
  return false;
}

// a <- act(a)
inline void ActInPlace(SArr a, Act act) {
  switch (act) {
    case kTanh: a = a.tanh(); break;
    case kRelu: a = a.max(0.f); break;
    case kLinear: break;
    case kSigmoid: a = a.logistic(); break;
    case kHardSigmoid: a = (a * 0.2f + 0.5f).max(0.f).min(1.f); break;
  }
}

// Eigen's packet of floats for this build (16 lanes with AVX-512, 8 with AVX, 4 with SSE) and
// the activations on one packet, with the same functions as ActInPlace.
using FPacket = Eigen::internal::packet_traits<float>::type;
constexpr int64_t kPacket = Eigen::internal::packet_traits<float>::size;
inline FPacket PLoad(const float* p) { return Eigen::internal::ploadu<FPacket>(p); }
inline void PStore(float* p, const FPacket& v) { Eigen::internal::pstoreu(p, v); }
inline FPacket ActPacket(Act act, const FPacket& x) {
  using namespace Eigen::internal;
  switch (act) {
    case kTanh: return scalar_tanh_op<float>().packetOp(x);
    case kRelu: return pmax(x, pzero(x));
    case kLinear: return x;
    case kSigmoid: return scalar_logistic_op<float>().packetOp(x);
    case kHardSigmoid:
      return pmin(pmax(padd(pmul(x, pset1<FPacket>(0.2f)), pset1<FPacket>(0.5f)), pzero(x)), pset1<FPacket>(1.f));
  }
  return x;
}

// act'(x) written through the activation's output y = act(x), on one packet (as MulDAct).
inline FPacket DActPacket(Act act, const FPacket& y) {
  using namespace Eigen::internal;
  const FPacket one = pset1<FPacket>(1.f), zero = pzero(y);
  switch (act) {
    case kTanh: return psub(one, pmul(y, y));
    case kRelu: return pand(pcmp_lt(zero, y), one);
    case kLinear: return one;
    case kSigmoid: return pmul(y, psub(one, y));
    case kHardSigmoid: return pand(pand(pcmp_lt(zero, y), pcmp_lt(y, one)), pset1<FPacket>(0.2f));
  }
  return one;
}

// d <- d * act'(x), the derivative written through the activation's output y = act(x).
inline void MulDAct(SArr d, CSArr y, Act act) {
  switch (act) {
    case kTanh: d *= (1.f - y.square()); break;
    case kRelu: d *= (y > 0.f).cast<float>(); break;
    case kLinear: break;
    case kSigmoid: d *= y * (1.f - y); break;
    case kHardSigmoid: d *= ((y > 0.f) && (y < 1.f)).cast<float>() * 0.2f; break;
  }
}

// Rows of this step whose mask is off.
// `m` points at the first row's entry; entries are `stride` apart; null means no mask.
inline void MaskedRows(const float* m, int64_t nb, int64_t stride, std::vector<int64_t>* rows) {
  rows->clear();
  if (m == nullptr) return;
  for (int64_t b = 0; b < nb; ++b)
    if (m[b * stride] == 0.f) rows->push_back(b);
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

// Rows a thread must get before the batch is split: at fewer, handing half the batch to a
// worker costs more than it saves. At x [64, 50, 8] with 32 units, one thread cost 5-25 %
// less CPU for every cell, forward and backward, and made training epochs faster by the clock
// too on a busy 2-core host (two threads can still win by the clock on an idle one; see
// docs/performance.md, `npm run bench -- kernels`). IMDB's 128 rows still take two threads.
constexpr int64_t kMinRowsPerThread = 64;

inline int64_t NumShards(OpKernelContext* ctx, int64_t batch) {
  auto* workers = ctx->device()->tensorflow_cpu_worker_threads();
  return std::max<int64_t>(1, std::min<int64_t>(workers->num_threads, batch / kMinRowsPerThread));
}

// Sums per-shard accumulators into out.
inline void SumShards(const std::vector<RowMat>& parts, float* out, int64_t n) {
  std::fill(out, out + n, 0.f);
  for (const auto& p : parts) {
    const float* src = p.data();
    for (int64_t i = 0; i < n; ++i) out[i] += src[i];
  }
}



// ------------------------------------------------------------------------ small products
// The per-step products of the recurrences are small ([rows, U] x [U, G] with G = 3U or 4U,
// and their transposes backward) and repeat T times with the same weights. Eigen's GEMM packs
// both operands into blocks on every call, which at these sizes costs about as much as the
// arithmetic; SmallGemm reads the operands where they are (the weights stay in L1 across
// steps) with a register-tiled loop: MR rows by NV vectors of columns held in registers,
// one broadcast of A and NV loads of B per inner index.
#if defined(__AVX512F__)
#define SEQLAB_SMALL_GEMM 1
using VecF = __m512;
constexpr int kVW = 16, kNVMax = 4, kMR = 6;
inline VecF VLoad(const float* p) { return _mm512_loadu_ps(p); }
inline void VStore(float* p, VecF v) { _mm512_storeu_ps(p, v); }
inline VecF VSet1(float x) { return _mm512_set1_ps(x); }
inline VecF VZero() { return _mm512_setzero_ps(); }
inline VecF VFma(VecF a, VecF b, VecF c) { return _mm512_fmadd_ps(a, b, c); }
#elif defined(__AVX2__) && defined(__FMA__)
#define SEQLAB_SMALL_GEMM 1
using VecF = __m256;
constexpr int kVW = 8, kNVMax = 2, kMR = 4;
inline VecF VLoad(const float* p) { return _mm256_loadu_ps(p); }
inline void VStore(float* p, VecF v) { _mm256_storeu_ps(p, v); }
inline VecF VSet1(float x) { return _mm256_set1_ps(x); }
inline VecF VZero() { return _mm256_setzero_ps(); }
inline VecF VFma(VecF a, VecF b, VecF c) { return _mm256_fmadd_ps(a, b, c); }
#else
#define SEQLAB_SMALL_GEMM 0
constexpr int kVW = 1;
#endif

#if SEQLAB_SMALL_GEMM
// One tile: C[MR, NV * kVW] (+)= A[MR, kd] B[kd, NV * kVW].
template <int MR, int NV>
inline void GemmTile(int64_t kd, const float* a, int64_t a_rs, int64_t a_cs, const float* b, int64_t ldb, float* c,
                     int64_t ldc, bool accumulate) {
  VecF s[MR][NV];
  for (int i = 0; i < MR; ++i)
    for (int j = 0; j < NV; ++j) s[i][j] = accumulate ? VLoad(c + i * ldc + j * kVW) : VZero();
  for (int64_t l = 0; l < kd; ++l) {
    VecF bv[NV];
    for (int j = 0; j < NV; ++j) bv[j] = VLoad(b + l * ldb + j * kVW);
    for (int i = 0; i < MR; ++i) {
      const VecF av = VSet1(a[i * a_rs + l * a_cs]);
      for (int j = 0; j < NV; ++j) s[i][j] = VFma(av, bv[j], s[i][j]);
    }
  }
  for (int i = 0; i < MR; ++i)
    for (int j = 0; j < NV; ++j) VStore(c + i * ldc + j * kVW, s[i][j]);
}

// Columns [j0, j0 + nv * kVW) of MR rows.
template <int MR>
inline void GemmRows(int64_t kd, const float* a, int64_t a_rs, int64_t a_cs, const float* b, int64_t ldb, float* c,
                     int64_t ldc, bool acc, int64_t nvecs) {
  int64_t j = 0;
  for (; j + kNVMax <= nvecs; j += kNVMax) GemmTile<MR, kNVMax>(kd, a, a_rs, a_cs, b + j * kVW, ldb, c + j * kVW, ldc, acc);
  const int64_t rest = nvecs - j;
  b += j * kVW;
  c += j * kVW;
  if (rest == 1) GemmTile<MR, 1>(kd, a, a_rs, a_cs, b, ldb, c, ldc, acc);
  if constexpr (kNVMax > 2) {
    if (rest == 2) GemmTile<MR, 2>(kd, a, a_rs, a_cs, b, ldb, c, ldc, acc);
    if (rest == 3) GemmTile<MR, 3>(kd, a, a_rs, a_cs, b, ldb, c, ldc, acc);
  }
}
#endif

// C[m, n] (+)= A[m, kd] B[kd, n]: A's element (i, l) at a[i * a_rs + l * a_cs] (so a transposed
// operand is a stride swap), B and C row-major with rows ldb and ldc floats apart; C is
// overwritten unless `accumulate`. Columns beyond the last full vector take a scalar loop, so
// callers pad n to a multiple of kVW where they can. Builds without AVX2 and FMA use Eigen's
// product instead.
inline void SmallGemm(int64_t m, int64_t n, int64_t kd, const float* a, int64_t a_rs, int64_t a_cs, const float* b,
                      int64_t ldb, float* c, int64_t ldc, bool accumulate) {
#if !SEQLAB_SMALL_GEMM
  // No AVX2 with FMA: Eigen's product of the same strided views.
  using AnyStride = Eigen::Stride<Eigen::Dynamic, Eigen::Dynamic>;
  const Eigen::Map<const RowMat, 0, AnyStride> Am(a, m, kd, AnyStride(a_rs, a_cs));
  if (accumulate) M(c, m, n, ldc).noalias() += Am * CM(b, kd, n, ldb);
  else M(c, m, n, ldc).noalias() = Am * CM(b, kd, n, ldb);
#else
  const int64_t nv = n / kVW;
  if (nv > 0) {
    int64_t i = 0;
    for (; i + kMR <= m; i += kMR) GemmRows<kMR>(kd, a + i * a_rs, a_rs, a_cs, b, ldb, c + i * ldc, ldc, accumulate, nv);
    const float* ai = a + i * a_rs;
    float* ci = c + i * ldc;
    switch (m - i) {
      case 5: GemmRows<5>(kd, ai, a_rs, a_cs, b, ldb, ci, ldc, accumulate, nv); break;
      case 4: GemmRows<4>(kd, ai, a_rs, a_cs, b, ldb, ci, ldc, accumulate, nv); break;
      case 3: GemmRows<3>(kd, ai, a_rs, a_cs, b, ldb, ci, ldc, accumulate, nv); break;
      case 2: GemmRows<2>(kd, ai, a_rs, a_cs, b, ldb, ci, ldc, accumulate, nv); break;
      case 1: GemmRows<1>(kd, ai, a_rs, a_cs, b, ldb, ci, ldc, accumulate, nv); break;
      default: break;
    }
  }
  for (int64_t j = nv * kVW; j < n; ++j) {
    for (int64_t i = 0; i < m; ++i) {
      float s = accumulate ? c[i * ldc + j] : 0.f;
      for (int64_t l = 0; l < kd; ++l) s += a[i * a_rs + l * a_cs] * b[l * ldb + j];
      c[i * ldc + j] = s;
    }
  }
#endif
}

// n rounded up to a whole number of SIMD vectors (for padded buffers given to SmallGemm).
inline int64_t PadToVector(int64_t n) { return (n + kVW - 1) / kVW * kVW; }

// Shapes and pointers common to every op.
struct Dims {
  int64_t B, T, F, U, G;
};

// The mask pointer, or null when the mask input is empty (no mask).
inline const float* MaskPtr(const Tensor& mask) { return mask.NumElements() == 0 ? nullptr : mask.flat<float>().data(); }

// gates[b0:b1] <- x[b0:b1] @ W + bias (bias may be null), as one matmul over nb * T rows.
inline void InputProjection(const Dims& d, const float* px, const float* pw, const float* pbias, float* pg, int64_t b0,
                     int64_t nb) {
  MapM XW(pg + b0 * d.T * d.G, nb * d.T, d.G);
  XW.noalias() = CMapM(px + b0 * d.T * d.F, nb * d.T, d.F) * CMapM(pw, d.F, d.G);
  if (pbias != nullptr) XW.array().rowwise() += Eigen::Map<const Eigen::Array<float, 1, Eigen::Dynamic>>(pbias, 1, d.G);
}

// dx[b0:b1] = dxw @ W^T; dW += x^T dxw; db += colsum(dxw).
inline void InputProjectionGrad(const Dims& d, const float* px, const float* pw, const float* pdxw, float* pdx, int64_t b0,
                         int64_t nb, RowMat* dW, RowMat* db) {
  CMapM DXW(pdxw + b0 * d.T * d.G, nb * d.T, d.G);
  MapM(pdx + b0 * d.T * d.F, nb * d.T, d.F).noalias() = DXW * CMapM(pw, d.F, d.G).transpose();
  dW->noalias() += CMapM(px + b0 * d.T * d.F, nb * d.T, d.F).transpose() * DXW;
  db->noalias() += DXW.colwise().sum();
}

// Whether the recurrent-weight gradient can be one GEMM after the backward loop (see
// RecurrentWeightGrad): processing order equals time order, and there are two steps or more.
// SimpleRNN uses it (its per-step [U, b] x [b, U] products are too small to run well); for
// LSTM and GRU, whose per-step products are 3-4 times wider, it measured no faster (it reads
// the whole dz buffer again) and they keep the per-step form.
inline bool BatchedWeightGrad(const Dims& d, bool go_backwards) { return !go_backwards && d.T >= 2; }

// dR += sum over rows b in [b0, b0+nb) and steps t >= 1 of h[b, t-1]^T dz[b, t], as one GEMM.
// With rows `b` of h ([B, T, U]) and dz ([B, T, G]) laid out one sample after another, the pair
// (h[b, t-1], dz[b, t]) is (row i, row i+1) of the flat matrices: one product of the shifted
// views, minus the nb-1 pairs that straddle two samples (h[b, T-1], dz[b+1, 0]).
inline void RecurrentWeightGrad(const Dims& d, const float* ph, const float* pdz, int64_t b0, int64_t nb,
                                int64_t G, RowMat* dR) {
  const int64_t U = d.U, T = d.T, rows = nb * T - 1;
  dR->noalias() += CMapM(ph + b0 * T * U, rows, U).transpose() * CMapM(pdz + (b0 * T + 1) * G, rows, G);
  if (nb > 1) {
    dR->noalias() -= CM(ph + (b0 * T + T - 1) * U, nb - 1, U, T * U).transpose() *
                     CM(pdz + (b0 + 1) * T * G, nb - 1, G, T * G);
  }
}

// Adds the incoming gradient of step k (from h_seq and, at the last step, from h_last).
inline void AddOutputGrad(const Dims& d, const float* pdhs, const float* pdhl, int64_t b0, int64_t nb, int64_t k,
                   RowMat* dh) {
  if (pdhs != nullptr) dh->array() += CA(pdhs + (b0 * d.T + k) * d.U, nb, d.U, d.T * d.U);
  if (pdhl != nullptr && k == d.T - 1) dh->array() += CA(pdhl + b0 * d.U, nb, d.U, d.U);
}


// Reads and checks x [B, T, F], w [F, G*U], r [U, G*U].
inline bool ReadDims(OpKernelContext* ctx, int gates, Dims* d) {
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

// Checks that `t` has `expected` elements (or none, when `may_be_empty`: an absent input).
inline bool CheckSize(OpKernelContext* ctx, int index, const char* name, int64_t expected, bool may_be_empty) {
  const int64_t n = ctx->input(index).NumElements();
  if (n == expected || (may_be_empty && n == 0)) return true;
  ctx->CtxFailure(tensorflow::errors::InvalidArgument(name, " must have ", expected, " elements",
                                                      may_be_empty ? " (or none)" : "", ", got ", n));
  return false;
}

// The activation attributes of every op (see ParseAct).
struct Activations {
  Act act = kTanh, ract = kSigmoid;
  bool go_backwards = false;
  void Read(OpKernelConstruction* c) {
    std::string a, ra;
    OP_REQUIRES_OK(c, c->GetAttr("activation", &a));
    OP_REQUIRES_OK(c, c->GetAttr("recurrent_activation", &ra));
    OP_REQUIRES_OK(c, c->GetAttr("go_backwards", &go_backwards));
    OP_REQUIRES(c, ParseAct(a, &act), tensorflow::errors::InvalidArgument("unknown activation '", a, "'"));
    OP_REQUIRES(c, ParseAct(ra, &ract), tensorflow::errors::InvalidArgument("unknown recurrent_activation '", ra, "'"));
  }
};

#define SEQLAB_ACT_ATTRS                                              \
  Attr("activation: " SEQLAB_ACTIVATIONS " = 'tanh'")                 \
      .Attr("recurrent_activation: " SEQLAB_ACTIVATIONS " = 'sigmoid'") \
      .Attr("go_backwards: bool = false")

}  // namespace seqlab

#endif  // SEQLAB_RNN_COMMON_H_
