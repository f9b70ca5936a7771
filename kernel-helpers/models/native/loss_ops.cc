// Loss kernels for the per-step-output models (see kernel-helpers/models/_sparse-ce-patch.ts):
//
// - SeqlabSparseCategoricalCrossentropy / ...Grad: tfjs-layers' sparseCategoricalCrossentropy
//   (labels floored to class ids and one-hot encoded, predictions clipped to [eps, 1-eps],
//   divided by their sum over the last axis, clipped again, log, times the one-hot row, summed,
//   negated) and its gradient with respect to the predictions, element by element in the order
//   of tfjs' ops and of its tape, instead of about forty tfjs ops forward and backward.
// - SeqlabSoftmaxGrad: tfjs' gradient of softmax over the last axis (dy·y − y·sum(dy·y)), four
//   tfjs ops and their reshapes, as one pass; with the row sum in TensorFlow's order it is equal
//   to tfjs' bit for bit.
//
// Predictions are read as [rows, k] (k classes, the last axis), labels as `rows` floats in the
// same order (tfjs flattens the labels, so [batch, steps], [batch, steps, 1] and [batch] all
// work). A label whose floor is outside [0, k) (or NaN) gives tfjs' one-hot row of zeros: loss
// -0 and a zero gradient; it never indexes memory. The sum over a row follows TensorFlow's
// Sum kernel (Eigen's innermost-dimension reduction in packets of 8 floats, the AVX build tfjs-node
// ships), so the sums, and with them the gradients, are equal to tfjs' bit for bit; the log
// is the C library's (TensorFlow's Log is Eigen's vectorised one), so a loss may differ from
// tfjs' in its last bit.
//
// Every op checks its inputs' sizes and fails with InvalidArgument.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "tensorflow/core/framework/common_shape_fns.h"
#include "tensorflow/core/framework/op.h"
#include "tensorflow/core/framework/op_kernel.h"
#include "tensorflow/core/framework/shape_inference.h"
#include "tensorflow/core/util/work_sharder.h"

namespace seqlab {
namespace {

using tensorflow::DEVICE_CPU;
using tensorflow::OpKernel;
using tensorflow::OpKernelConstruction;
using tensorflow::OpKernelContext;
using tensorflow::Tensor;
using tensorflow::TensorShape;

REGISTER_OP("SeqlabSparseCategoricalCrossentropy")
    .Input("labels: float")
    .Input("y_pred: float")
    .Input("clip: float")
    .Attr("k: int >= 1")
    .Output("loss: float")
    .SetShapeFn(tensorflow::shape_inference::UnknownShape);

REGISTER_OP("SeqlabSparseCategoricalCrossentropyGrad")
    .Input("labels: float")
    .Input("y_pred: float")
    .Input("clip: float")
    .Input("dloss: float")
    .Attr("k: int >= 1")
    .Output("dy_pred: float")
    .SetShapeFn(tensorflow::shape_inference::UnknownShape);

// TensorFlow's CPU Sum kernel reduces an innermost axis in packets of this many floats.
constexpr int64_t kLanes = 8;
// Above kLanes * kLeaf values Eigen splits the reduction in two halves (a tree).
constexpr int64_t kLeaf = 1024;

// Eigen's InnerMostDimReducer<..., vectorized, no tree> for a sum: four packet accumulators over
// blocks of 4 packets, folded into the first; remaining whole packets into it; the scalar tail
// separately; then tail + (horizontal sum of the packet: halves added, then (a0+a2)+(a1+a3)).
float PacketSum(const float* x, int64_t n) {
  float acc[4][kLanes] = {};
  int64_t j = 0;
  if (n >= 4 * kLanes) {
    const int64_t n4 = (n / (4 * kLanes)) * (4 * kLanes);
    for (; j < n4; j += 4 * kLanes) {
      for (int a = 0; a < 4; ++a) {
        for (int64_t l = 0; l < kLanes; ++l) acc[a][l] += x[j + a * kLanes + l];
      }
    }
    for (int a = 1; a < 4; ++a) {
      for (int64_t l = 0; l < kLanes; ++l) acc[0][l] += acc[a][l];
    }
  }
  const int64_t nv = (n / kLanes) * kLanes;
  for (; j < nv; j += kLanes) {
    for (int64_t l = 0; l < kLanes; ++l) acc[0][l] += x[j + l];
  }
  float tail = 0.f;
  for (; j < n; ++j) tail += x[j];
  float half[4];
  for (int l = 0; l < 4; ++l) half[l] = acc[0][l] + acc[0][l + 4];
  const float a02 = half[0] + half[2];
  const float a13 = half[1] + half[3];
  return tail + (a02 + a13);
}

// Eigen's tree reduction around PacketSum; `first` is the row's flat index in the tensor (the
// split point is aligned to a packet boundary of the whole tensor).
float TfSum(const float* x, int64_t n, int64_t first) {
  if (n <= kLanes * kLeaf) return PacketSum(x, n);
  const int64_t split = kLanes * ((first + (n + 1) / 2 + kLanes - 1) / kLanes);
  const int64_t left = std::min(split - first, n);
  float acc = 0.f;
  acc += TfSum(x, left, first);
  if (left < n) acc += TfSum(x + left, n - left, split);
  return acc;
}

inline float Clip(float v, float lo, float hi) { return std::max(std::min(v, hi), lo); }
// tfjs' clipByValue gradient passes where lo <= v <= hi (never for NaN).
inline bool InRange(float v, float lo, float hi) { return v >= lo && v <= hi; }

// The class a label selects after tfjs' floor and cast, or -1 for tfjs' all-zero one-hot row.
inline int64_t ClassOf(float label, int64_t k) {
  const float f = std::floor(label);
  return (f >= 0.f && f < static_cast<float>(k)) ? static_cast<int64_t>(f) : -1;
}

// Checks labels [rows], y_pred [rows * k], clip [2] and, for the gradient, dloss [rows];
// returns rows or -1 after failing the op.
int64_t CheckedRows(OpKernelContext* ctx, int64_t k, bool grad) {
  const int64_t n = ctx->input(1).NumElements();
  if (n % k != 0) {
    ctx->CtxFailure(tensorflow::errors::InvalidArgument("y_pred has ", n, " elements, not a multiple of k = ", k));
    return -1;
  }
  const int64_t rows = n / k;
  const int checks[3] = {0, 2, 3};
  const int64_t want[3] = {rows, 2, rows};
  const char* names[3] = {"labels", "clip", "dloss"};
  for (int i = 0; i < (grad ? 3 : 2); ++i) {
    const int64_t got = ctx->input(checks[i]).NumElements();
    if (got != want[i]) {
      ctx->CtxFailure(tensorflow::errors::InvalidArgument(names[i], " must have ", want[i], " elements, got ", got));
      return -1;
    }
  }
  return rows;
}

// Runs fn(r0, r1) over row ranges on TensorFlow's worker threads (rows are independent, so
// the results do not depend on the split).
template <typename Fn>
void ForRows(OpKernelContext* ctx, int64_t rows, int64_t k, Fn fn) {
  auto* workers = ctx->device()->tensorflow_cpu_worker_threads();
  tensorflow::Shard(workers->num_threads, workers->workers, rows, 20 * k, fn);
}

class SparseCategoricalCrossentropyOp : public OpKernel {
 public:
  explicit SparseCategoricalCrossentropyOp(OpKernelConstruction* c) : OpKernel(c) {
    OP_REQUIRES_OK(c, c->GetAttr("k", &k_));
  }
  void Compute(OpKernelContext* ctx) override {
    const int64_t rows = CheckedRows(ctx, k_, false);
    if (rows < 0) return;
    Tensor* out;
    OP_REQUIRES_OK(ctx, ctx->allocate_output(0, TensorShape({rows}), &out));
    const float* labels = ctx->input(0).flat<float>().data();
    const float* p = ctx->input(1).flat<float>().data();
    const float lo = ctx->input(2).flat<float>()(0), hi = ctx->input(2).flat<float>()(1);
    float* po = out->flat<float>().data();
    const int64_t k = k_;
    ForRows(ctx, rows, k, [&](int64_t r0, int64_t r1) {
      std::vector<float> o1(k);
      for (int64_t r = r0; r < r1; ++r) {
        const float* pr = p + r * k;
        for (int64_t j = 0; j < k; ++j) o1[j] = Clip(pr[j], lo, hi);  // clipByValue
        const float s = TfSum(o1.data(), k, r * k);                     // sum(., -1, keepDims)
        const int64_t c = ClassOf(labels[r], k);
        if (std::isnan(s)) {
          po[r] = std::numeric_limits<float>::quiet_NaN();  // every q is NaN, and so 0 * log(q)
        } else if (c < 0) {
          po[r] = -0.f;  // neg(sum of 0 * log(q))
        } else {
          const float q = Clip(o1[c] / s, lo, hi);  // div, clipByValue
          po[r] = -std::log(q);                     // log, mul by the one-hot row, sum, neg
        }
      }
    });
  }

 private:
  int64_t k_ = 1;
};
REGISTER_KERNEL_BUILDER(Name("SeqlabSparseCategoricalCrossentropy").Device(DEVICE_CPU), SparseCategoricalCrossentropyOp);

// The gradient with respect to y_pred, through tfjs' gradients of each op, last first: neg,
// sum (broadcast), mul (times the one-hot row), log (dy / q), clipByValue, div (dy / s for the
// numerator; -(sum(dy * o) / square(s)) for the sum, broadcast back by sum's gradient and added
// to the numerator's), clipByValue. With a finite row sum only the label's column carries a
// non-zero term, so the sums over the row are exact and the result is tfjs' bit for bit; a
// NaN in the row (or in dloss) takes the general path, element by element.
class SparseCategoricalCrossentropyGradOp : public OpKernel {
 public:
  explicit SparseCategoricalCrossentropyGradOp(OpKernelConstruction* c) : OpKernel(c) {
    OP_REQUIRES_OK(c, c->GetAttr("k", &k_));
  }
  void Compute(OpKernelContext* ctx) override {
    const int64_t rows = CheckedRows(ctx, k_, true);
    if (rows < 0) return;
    Tensor* out;
    OP_REQUIRES_OK(ctx, ctx->allocate_output(0, ctx->input(1).shape(), &out));
    const float* labels = ctx->input(0).flat<float>().data();
    const float* p = ctx->input(1).flat<float>().data();
    const float lo = ctx->input(2).flat<float>()(0), hi = ctx->input(2).flat<float>()(1);
    const float* dl = ctx->input(3).flat<float>().data();
    float* po = out->flat<float>().data();
    const int64_t k = k_;
    ForRows(ctx, rows, k, [&](int64_t r0, int64_t r1) {
      std::vector<float> o1(k), da(k), prod(k);
      for (int64_t r = r0; r < r1; ++r) {
        const float* pr = p + r * k;
        float* dr = po + r * k;
        for (int64_t j = 0; j < k; ++j) o1[j] = Clip(pr[j], lo, hi);
        const float s = TfSum(o1.data(), k, r * k);
        const int64_t c = ClassOf(labels[r], k);
        const float dlog = -dl[r];  // neg, then sum's broadcast (times 1)
        float ds;
        if (std::isfinite(s) && std::isfinite(dlog)) {
          if (c < 0) {
            std::fill(dr, dr + k, 0.f);
            continue;
          }
          const float q = o1[c] / s;
          const float dq = InRange(q, lo, hi) ? dlog / Clip(q, lo, hi) : 0.f;  // log, clipByValue
          const float sq = s * s;
          ds = -((dq * o1[c]) / sq);  // div's gradient for the sum
          for (int64_t j = 0; j < k; ++j) da[j] = 0.f;
          da[c] = dq / s;  // div's gradient for the numerator
        } else {
          for (int64_t j = 0; j < k; ++j) {
            const float onehot = j == c ? 1.f : 0.f;
            const float q = o1[j] / s;
            const float dq = InRange(q, lo, hi) ? (dlog * onehot) / Clip(q, lo, hi) : 0.f;
            da[j] = dq / s;
            prod[j] = dq * o1[j];
          }
          const float sq = s * s;
          ds = -(TfSum(prod.data(), k, r * k) / sq);
        }
        for (int64_t j = 0; j < k; ++j) dr[j] = InRange(pr[j], lo, hi) ? da[j] + ds : 0.f;
      }
    });
  }

 private:
  int64_t k_ = 1;
};
REGISTER_KERNEL_BUILDER(Name("SeqlabSparseCategoricalCrossentropyGrad").Device(DEVICE_CPU),
                        SparseCategoricalCrossentropyGradOp);

REGISTER_OP("SeqlabSoftmaxGrad")
    .Input("dy: float")
    .Input("y: float")
    .Attr("k: int >= 1")
    .Output("dlogits: float")
    .SetShapeFn(tensorflow::shape_inference::UnknownShape);

// dlogits = a - s * y with a = dy * y and s = sum(a) over the row's k entries (keepDims), each
// step one tfjs op rounded to float32. a and s * y go through memory (separate loops), so the
// compiler cannot fuse the multiply and the subtraction into one rounding.
class SoftmaxGradOp : public OpKernel {
 public:
  explicit SoftmaxGradOp(OpKernelConstruction* c) : OpKernel(c) { OP_REQUIRES_OK(c, c->GetAttr("k", &k_)); }
  void Compute(OpKernelContext* ctx) override {
    const Tensor& dy = ctx->input(0);
    const Tensor& y = ctx->input(1);
    const int64_t n = y.NumElements();
    OP_REQUIRES(ctx, n % k_ == 0,
                tensorflow::errors::InvalidArgument("y has ", n, " elements, not a multiple of k = ", k_));
    OP_REQUIRES(ctx, dy.NumElements() == n,
                tensorflow::errors::InvalidArgument("dy must have ", n, " elements, got ", dy.NumElements()));
    Tensor* out;
    OP_REQUIRES_OK(ctx, ctx->allocate_output(0, y.shape(), &out));
    const float* pd = dy.flat<float>().data();
    const float* py = y.flat<float>().data();
    float* po = out->flat<float>().data();
    const int64_t k = k_;
    ForRows(ctx, n / k, k, [&](int64_t r0, int64_t r1) {
      std::vector<float> sy(k);
      for (int64_t r = r0; r < r1; ++r) {
        const float* d = pd + r * k;
        const float* yr = py + r * k;
        float* o = po + r * k;
        for (int64_t j = 0; j < k; ++j) o[j] = d[j] * yr[j];  // mul(dy, y)
        const float s = TfSum(o, k, r * k);                     // sum(., -1, keepDims)
        for (int64_t j = 0; j < k; ++j) sy[j] = s * yr[j];      // mul(s, y)
        for (int64_t j = 0; j < k; ++j) o[j] = o[j] - sy[j];    // sub
      }
    });
  }

 private:
  int64_t k_ = 1;
};
REGISTER_KERNEL_BUILDER(Name("SeqlabSoftmaxGrad").Device(DEVICE_CPU), SoftmaxGradOp);

}  // namespace
}  // namespace seqlab
