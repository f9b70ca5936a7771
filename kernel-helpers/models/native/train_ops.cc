// Training-step kernels around the fused recurrent layers, each replacing a chain of small
// TensorFlow ops that tfjs runs one by one (see kernel-helpers/models/_training-patches.ts):
//
// - SeqlabAdam: Adam's update of one variable in one pass over its memory, with tfjs'
//   AdamOptimizer's float32 arithmetic op for op (the results are equal bit for bit);
// - SeqlabGatherRows / SeqlabGatherRowsGrad: the Embedding's lookup (rows of a [R, D] table)
//   and its dense gradient (a scatter-add of the output gradient's rows), which tfjs computes
//   with GatherV2 and UnsortedSegmentSum;
// - SeqlabBinaryCrossentropy / ...Grad: tfjs-layers' binaryCrossentropy loss (clip, log-odds,
//   sigmoid cross-entropy with logits, mean over the last axis) and its gradient, element by
//   element in the order of tfjs' ops (about thirty tfjs ops forward and backward).
//
// Every op checks its inputs' sizes and its indices, and fails with InvalidArgument.
#include "seqlab_rnn_common.h"

#if defined(__AVX__)
#include <immintrin.h>
#endif

namespace seqlab {

REGISTER_OP("SeqlabAdam")
    .Input("value: float")
    .Input("m: float")
    .Input("v: float")
    .Input("grad: float")
    .Input("acc_beta1: float")
    .Input("acc_beta2: float")
    .Input("coef: float")
    .Output("new_value: float")
    .Output("new_m: float")
    .Output("new_v: float")
    .SetShapeFn(tensorflow::shape_inference::UnknownShape);

// coef = [beta1, 1 - beta1, beta2, 1 - beta2, epsilon, -learningRate]; acc1, acc2 = accBeta1, accBeta2.
// Every assignment below is one tfjs op over a block, rounded to float32 as TensorFlow's element-wise
// kernels round it: each goes through memory, so the compiler cannot fuse a multiply and an add
// into one rounding (FMA), and the results equal tfjs' AdamOptimizer bit for bit.
// p[j] <- sqrt(p[j]), correctly rounded as TensorFlow's Sqrt (Eigen's AVX-512 sqrt is an
// approximation, so it is not used here).
static void SqrtInPlace(float* p, int64_t k) {
  int64_t j = 0;
#if defined(__AVX__)
  for (; j + 8 <= k; j += 8) _mm256_storeu_ps(p + j, _mm256_sqrt_ps(_mm256_loadu_ps(p + j)));
#endif
  for (; j < k; ++j) p[j] = std::sqrt(p[j]);
}

static void AdamRange(const float* x, const float* m, const float* v, const float* g, const float* c, float acc1,
                      float acc2, float* nx, float* nm, float* nv, int64_t i0, int64_t i1) {
  using Vec = Eigen::Array<float, Eigen::Dynamic, 1>;
  using VMap = Eigen::Map<Eigen::Array<float, Eigen::Dynamic, 1>>;
  using CVMap = Eigen::Map<const Eigen::Array<float, Eigen::Dynamic, 1>>;
  const float b1 = c[0], omb1 = c[1], b2 = c[2], omb2 = c[3], eps = c[4], nlr = c[5];
  const float oma1 = 1.f - acc1, oma2 = 1.f - acc2;  // sub(1, accBeta)
  constexpr int64_t kBlock = 1024;
  Vec t1(kBlock), t2(kBlock);
  for (int64_t i = i0; i < i1; i += kBlock) {
    const int64_t k = std::min(kBlock, i1 - i);
    auto a = t1.head(k);
    auto b = t2.head(k);
    CVMap X(x + i, k), M(m + i, k), V(v + i, k), G(g + i, k);
    VMap NX(nx + i, k), NM(nm + i, k), NV(nv + i, k);
    a = M * b1;            // mul(m, beta1)
    b = G * omb1;          // mul(g, 1 - beta1)
    NM = a + b;            // newM
    a = V * b2;            // mul(v, beta2)
    b = G.square();        // square(g)
    b = b * omb2;          // mul(., 1 - beta2)
    NV = a + b;            // newV
    a = NM / oma1;         // bias-corrected m
    b = NV / oma2;         // bias-corrected v
    SqrtInPlace(b.data(), k);  // sqrt
    b = b + eps;           // add(., epsilon)
    a = a / b;             // div
    a = a * nlr;           // mul(., -learningRate)
    NX = a + X;            // add(., value)
  }
}

class AdamOp : public OpKernel {
 public:
  explicit AdamOp(OpKernelConstruction* c) : OpKernel(c) {}
  void Compute(OpKernelContext* ctx) override {
    const Tensor& x = ctx->input(0);
    const int64_t n = x.NumElements();
    if (!CheckSize(ctx, 1, "m", n, false) || !CheckSize(ctx, 2, "v", n, false) || !CheckSize(ctx, 3, "grad", n, false) ||
        !CheckSize(ctx, 4, "acc_beta1", 1, false) || !CheckSize(ctx, 5, "acc_beta2", 1, false) ||
        !CheckSize(ctx, 6, "coef", 6, false)) {
      return;
    }
    Tensor *nx, *nm, *nv;
    OP_REQUIRES_OK(ctx, ctx->allocate_output(0, x.shape(), &nx));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(1, x.shape(), &nm));
    OP_REQUIRES_OK(ctx, ctx->allocate_output(2, x.shape(), &nv));
    const float* px = x.flat<float>().data();
    const float* pm = ctx->input(1).flat<float>().data();
    const float* pv = ctx->input(2).flat<float>().data();
    const float* pg = ctx->input(3).flat<float>().data();
    const float acc1 = ctx->input(4).flat<float>()(0);
    const float acc2 = ctx->input(5).flat<float>()(0);
    const float* pc = ctx->input(6).flat<float>().data();
    float* pnx = nx->flat<float>().data();
    float* pnm = nm->flat<float>().data();
    float* pnv = nv->flat<float>().data();
    // Small variables on this thread; large ones split across the worker threads.
    const int64_t shards = n < (1 << 16) ? 1 : NumShards(ctx, n);
    RunSharded(ctx, n, shards,
               [&](int, int64_t i0, int64_t i1) { AdamRange(px, pm, pv, pg, pc, acc1, acc2, pnx, pnm, pnv, i0, i1); });
  }
};
REGISTER_KERNEL_BUILDER(Name("SeqlabAdam").Device(DEVICE_CPU), AdamOp);

REGISTER_OP("SeqlabGatherRowsGrad")
    .Input("dy: float")
    .Input("indices: int32")
    .Attr("num_rows: int")
    .Output("dparams: float")
    .SetShapeFn(tensorflow::shape_inference::UnknownShape);

// dparams [num_rows, D] = sum over i of one-hot(indices[i]) dy[i], dy read as [n, D] with n the
// number of indices. Each row's sum runs in index order (as TensorFlow's UnsortedSegmentSum);
// threads own disjoint row ranges, so the result does not depend on the thread count.
class GatherRowsGradOp : public OpKernel {
 public:
  explicit GatherRowsGradOp(OpKernelConstruction* c) : OpKernel(c) {
    OP_REQUIRES_OK(c, c->GetAttr("num_rows", &rows_));
    OP_REQUIRES(c, rows_ >= 0, tensorflow::errors::InvalidArgument("num_rows must be >= 0, got ", rows_));
  }
  void Compute(OpKernelContext* ctx) override {
    const Tensor& dy = ctx->input(0);
    const Tensor& idx = ctx->input(1);
    const int64_t n = idx.NumElements();
    OP_REQUIRES(ctx, (n == 0 && dy.NumElements() == 0) || (n > 0 && dy.NumElements() % n == 0),
                tensorflow::errors::InvalidArgument("dy has ", dy.NumElements(), " elements, not a multiple of the ", n,
                                                    " indices"));
    const int64_t D = n == 0 ? 0 : dy.NumElements() / n;
    const int32_t* pi = idx.flat<int32_t>().data();
    for (int64_t i = 0; i < n; ++i) {
      OP_REQUIRES(ctx, pi[i] >= 0 && pi[i] < rows_,
                  tensorflow::errors::InvalidArgument("the index value ", pi[i], " (position ", i, ") is not in [0, ",
                                                      rows_ - 1, "]"));
    }
    Tensor* out;
    OP_REQUIRES_OK(ctx, ctx->allocate_output(0, TensorShape({rows_, D}), &out));
    float* po = out->flat<float>().data();
    const float* pd = dy.flat<float>().data();
    const int64_t shards = n * D < (1 << 15) ? 1 : NumShards(ctx, rows_);
    RunSharded(ctx, rows_, shards, [&](int, int64_t r0, int64_t r1) {
      std::fill(po + r0 * D, po + r1 * D, 0.f);
      for (int64_t i = 0; i < n; ++i) {
        const int64_t r = pi[i];
        if (r < r0 || r >= r1) continue;
        float* dst = po + r * D;
        const float* src = pd + i * D;
        for (int64_t j = 0; j < D; ++j) dst[j] += src[j];
      }
    });
  }

 private:
  int64_t rows_ = 0;
};
REGISTER_KERNEL_BUILDER(Name("SeqlabGatherRowsGrad").Device(DEVICE_CPU), GatherRowsGradOp);

REGISTER_OP("SeqlabGatherRows")
    .Input("params: float")
    .Input("indices: int32")
    .Output("rows: float")
    .SetShapeFn(tensorflow::shape_inference::UnknownShape);

// rows [n, D] = params[indices[i]] for params [R, D]; fails on an index outside [0, R).
class GatherRowsOp : public OpKernel {
 public:
  explicit GatherRowsOp(OpKernelConstruction* c) : OpKernel(c) {}
  void Compute(OpKernelContext* ctx) override {
    const Tensor& params = ctx->input(0);
    const Tensor& idx = ctx->input(1);
    OP_REQUIRES(ctx, params.dims() == 2, tensorflow::errors::InvalidArgument("params must be [rows, columns]"));
    const int64_t R = params.dim_size(0), D = params.dim_size(1), n = idx.NumElements();
    const int32_t* pi = idx.flat<int32_t>().data();
    for (int64_t i = 0; i < n; ++i) {
      OP_REQUIRES(ctx, pi[i] >= 0 && pi[i] < R,
                  tensorflow::errors::InvalidArgument("Embedding lookup: the index value ", pi[i], " (position ", i,
                                                      ") is not in [0, ", R - 1, "]: ids must be below the layer's inputDim (",
                                                      R, ")"));
    }
    Tensor* out;
    OP_REQUIRES_OK(ctx, ctx->allocate_output(0, TensorShape({n, D}), &out));
    float* po = out->flat<float>().data();
    const float* pp = params.flat<float>().data();
    const int64_t shards = n * D < (1 << 15) ? 1 : NumShards(ctx, n);
    RunSharded(ctx, n, shards, [&](int, int64_t i0, int64_t i1) {
      for (int64_t i = i0; i < i1; ++i) std::copy(pp + pi[i] * D, pp + (pi[i] + 1) * D, po + i * D);
    });
  }
};
REGISTER_KERNEL_BUILDER(Name("SeqlabGatherRows").Device(DEVICE_CPU), GatherRowsOp);

REGISTER_OP("SeqlabBinaryCrossentropy")
    .Input("y_true: float")
    .Input("y_pred: float")
    .Input("clip: float")
    .Attr("k: int")
    .Output("loss: float")
    .SetShapeFn(tensorflow::shape_inference::UnknownShape);

REGISTER_OP("SeqlabBinaryCrossentropyGrad")
    .Input("y_true: float")
    .Input("y_pred: float")
    .Input("clip: float")
    .Input("dloss: float")
    .Attr("k: int")
    .Output("dy_pred: float")
    .SetShapeFn(tensorflow::shape_inference::UnknownShape);

// Checks y_true and y_pred (same size, a multiple of k), clip [lo, hi] and, for the gradient,
// dloss [size / k]; returns the number of rows (size / k) or -1 after failing the op.
static int64_t BceRows(OpKernelContext* ctx, int64_t k, bool grad) {
  const int64_t n = ctx->input(1).NumElements();
  if (k < 1 || n % k != 0) {
    ctx->CtxFailure(tensorflow::errors::InvalidArgument("y_pred has ", n, " elements, not a multiple of k = ", k));
    return -1;
  }
  if (!CheckSize(ctx, 0, "y_true", n, false) || !CheckSize(ctx, 2, "clip", 2, false) ||
      (grad && !CheckSize(ctx, 3, "dloss", n / k, false))) {
    return -1;
  }
  return n / k;
}

// loss[r] = mean over the row's k entries of relu(l) - l*t + log1p(exp(-|l|)),
// l = log(y / (1 - y)), y = clip(p, lo, hi): tfjs-layers' binaryCrossentropy, op by op.
class BinaryCrossentropyOp : public OpKernel {
 public:
  explicit BinaryCrossentropyOp(OpKernelConstruction* c) : OpKernel(c) { OP_REQUIRES_OK(c, c->GetAttr("k", &k_)); }
  void Compute(OpKernelContext* ctx) override {
    const int64_t rows = BceRows(ctx, k_, false);
    if (rows < 0) return;
    Tensor* out;
    OP_REQUIRES_OK(ctx, ctx->allocate_output(0, TensorShape({rows}), &out));
    const float* t = ctx->input(0).flat<float>().data();
    const float* p = ctx->input(1).flat<float>().data();
    const float lo = ctx->input(2).flat<float>()(0), hi = ctx->input(2).flat<float>()(1);
    float* po = out->flat<float>().data();
    for (int64_t r = 0; r < rows; ++r) {
      float sum = 0.f;
      for (int64_t j = r * k_; j < (r + 1) * k_; ++j) {
        const float y = std::max(std::min(p[j], hi), lo);
        const float q = y / (1.f - y);
        const float l = std::log(q);
        const float a = std::max(l, 0.f) - l * t[j];
        const float s = std::log1p(std::exp(-std::fabs(l)));
        sum += a + s;
      }
      po[r] = sum / static_cast<float>(k_);
    }
  }

 private:
  int64_t k_ = 1;
};
REGISTER_KERNEL_BUILDER(Name("SeqlabBinaryCrossentropy").Device(DEVICE_CPU), BinaryCrossentropyOp);

// The gradient of the loss above with respect to y_pred, following tfjs' gradients of each op:
// mean, add, log1p, exp, neg, abs (sign with sign(0) = -1), relu (step), mul, log, div, sub, and
// clipByValue (passes the gradient where lo <= p <= hi).
class BinaryCrossentropyGradOp : public OpKernel {
 public:
  explicit BinaryCrossentropyGradOp(OpKernelConstruction* c) : OpKernel(c) { OP_REQUIRES_OK(c, c->GetAttr("k", &k_)); }
  void Compute(OpKernelContext* ctx) override {
    const int64_t rows = BceRows(ctx, k_, true);
    if (rows < 0) return;
    Tensor* out;
    OP_REQUIRES_OK(ctx, ctx->allocate_output(0, ctx->input(1).shape(), &out));
    const float* t = ctx->input(0).flat<float>().data();
    const float* p = ctx->input(1).flat<float>().data();
    const float lo = ctx->input(2).flat<float>()(0), hi = ctx->input(2).flat<float>()(1);
    const float* dl = ctx->input(3).flat<float>().data();
    float* po = out->flat<float>().data();
    for (int64_t r = 0; r < rows; ++r) {
      const float g = dl[r] / static_cast<float>(k_);
      for (int64_t j = r * k_; j < (r + 1) * k_; ++j) {
        const float y = std::max(std::min(p[j], hi), lo);
        const float d = 1.f - y;
        const float q = y / d;
        const float l = std::log(q);
        const float e = std::exp(-std::fabs(l));
        const float de = (g / (e + 1.f)) * e;                // log1p, then exp
        const float dabs = -de * (l > 0.f ? 1.f : -1.f);    // neg, then abs
        // The three uses of l, accumulated as tfjs' tape does (last op first): mul, abs, relu.
        const float dlog = ((-g) * t[j] + dabs) + g * (l > 0.f ? 1.f : 0.f);
        const float dq = dlog / q;
        const float dy = dq / d + (dq * y) / (d * d);        // div's two operands: y and 1 - y
        po[j] = (p[j] >= lo && p[j] <= hi) ? dy : 0.f;
      }
    }
  }

 private:
  int64_t k_ = 1;
};
REGISTER_KERNEL_BUILDER(Name("SeqlabBinaryCrossentropyGrad").Device(DEVICE_CPU), BinaryCrossentropyGradOp);

}  // namespace seqlab
