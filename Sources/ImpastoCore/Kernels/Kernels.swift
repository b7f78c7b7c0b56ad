/// Raw compute without autodiff: oneDNN primitives for convolution, pooling, ReLU and matrix
/// products, Swift loops for cheap element-wise work. `Tensor`'s ops in `Ops/` call these and
/// record their pullbacks.
@_spi(Benchmarks) public enum Kernels {}
