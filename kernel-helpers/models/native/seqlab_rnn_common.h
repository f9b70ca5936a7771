// Shared helpers of the whole-sequence recurrent kernels for seqlab's fused layers: LSTM, GRU (reset-before and
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
#ifndef SEQLAB_RNN_COMMON_H_
#define SEQLAB_RNN_COMMON_H_

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
inline void ActInPlace(SArr a, int code) {
  switch (code) {
    case kTanh: a = a.tanh(); break;
    case kRelu: a = a.max(0.f); break;
    case kLinear: break;
    case kSigmoid: a = a.logistic(); break;
    default: a = (a * 0.2f + 0.5f).max(0.f).min(1.f); break;
  }
}

// d <- d * act'(x), the derivative written through the activation's output y = act(x).
inline void MulDAct(SArr d, CSArr y, int code) {
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
inline void MaskedRows(const float* m, int64_t nb, int64_t stride, std::vector<int64_t>* rows) {
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

inline int64_t NumShards(OpKernelContext* ctx, int64_t batch) {
  auto* workers = ctx->device()->tensorflow_cpu_worker_threads();
  return std::max<int64_t>(1, std::min<int64_t>(workers->num_threads, batch / 8));
}

// Sums per-shard accumulators into out.
inline void SumShards(const std::vector<RowMat>& parts, float* out, int64_t n) {
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

// Adds the incoming gradient of step k (from h_seq and, at the last step, from h_last).
inline void AddOutputGrad(const Dims& d, const float* pdhs, const float* pdhl, int64_t b0, int64_t nb, int64_t k,
                   RowMat* dh) {
  if (pdhs != nullptr) dh->array() += CA(pdhs + (b0 * d.T + k) * d.U, nb, d.U, d.T * d.U);
  if (pdhl != nullptr && k == d.T - 1) dh->array() += CA(pdhl + b0 * d.U, nb, d.U, d.U);
}

#define SEQLAB_REQUIRE(cond, msg) OP_REQUIRES(ctx, (cond), tensorflow::errors::InvalidArgument(msg))

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

#define SEQLAB_ATTRS(c)                                                      \
  OP_REQUIRES_OK(c, c->GetAttr("activation", &act_));                        \
  OP_REQUIRES_OK(c, c->GetAttr("recurrent_activation", &ract_));             \
  OP_REQUIRES_OK(c, c->GetAttr("go_backwards", &go_backwards_))

}  // namespace seqlab

#endif  // SEQLAB_RNN_COMMON_H_
